export {
  createNotificationService,
  type NotificationService,
  type FindRecipients,
} from './notification.service.ts';
export { notificationRoutes } from './notification.routes.ts';
export { registerNotificationGraphql, notificationTopic } from './notification.graphql.ts';
export type { RaiseNotificationInput } from './notification.dto.ts';
