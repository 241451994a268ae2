export { FailureList } from './failure-list.tsx';
export { FailuresPage } from './failures-page.tsx';
export { FailureReportPage } from './failure-report-page.tsx';
export { FailureDetailPage } from './failure-detail-page.tsx';
