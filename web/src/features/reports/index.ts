export { ReportsPage } from './reports-page.tsx';
export { ExportButton } from './export-button.tsx';
