export { ActionList } from './action-list.tsx';
export { MyActionsPage } from './my-actions-page.tsx';
export { ActionBoardPage } from './action-board-page.tsx';
export { ActionDetailPage } from './action-detail-page.tsx';
