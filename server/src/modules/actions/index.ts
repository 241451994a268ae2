export {
  createNotificationService,
  type NotificationService,
  type FindRecipients,
} from './notification.service.ts';
export { notificationRoutes } from './notification.routes.ts';
export { registerNotificationGraphql, notificationTopic } from './notification.graphql.ts';
export type { RaiseNotificationInput } from './notification.dto.ts';
export {
  createActionRaiser,
  raiseActionInput,
  type RaiseAction,
  type RaiseActionInput,
  type RaisedAction,
} from './action-item.raise.ts';
export {
  ACTION_SOURCES,
  ACTION_STATUSES,
  ACTION_PRIORITIES,
  type ActionSource,
  type ActionStatus,
  type ActionPriority,
} from './action-item.schema.ts';
export { createActionItemService, type ActionItemService } from './action-item.service.ts';
export { actionItemRoutes } from './action-item.routes.ts';
export { registerActionItemGraphql } from './action-item.graphql.ts';
export {
  actionFilterInput,
  actionOutput,
  type ActionOutput,
  type ActionDetailOutput,
} from './action-item.dto.ts';
export { createActionJobs, type ActionJobs, ESCALATE_EVERY_DAYS } from './action-item.jobs.ts';
