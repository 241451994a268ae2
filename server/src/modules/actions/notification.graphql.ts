import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { requirePermission } from '../../platform/auth/actor.ts';
import { parseInput } from '../../platform/validation.ts';
import { notificationListInput, type NotificationOutput } from './notification.dto.ts';
import type { NotificationService } from './notification.service.ts';

export const notificationTopic = (userId: number) => `notification:${userId}`;

export function registerNotificationGraphql(builder: Builder, service: NotificationService): void {
  const Notification = builder.objectRef<NotificationOutput>('Notification').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      kind: t.exposeString('kind'),
      title: t.exposeString('title'),
      body: t.string({ nullable: true, resolve: (n) => n.body }),
      link: t.string({ nullable: true, resolve: (n) => n.link }),
      siteId: t.id({ nullable: true, resolve: (n) => n.site_id }),
      createdAt: t.field({ type: 'DateTime', resolve: (n) => n.created_at }),
      readAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.read_at }),
    }),
  });
  const NotificationPage = builder
    .objectRef<{ items: NotificationOutput[]; next_cursor: string | null; unread_count: number }>(
      'NotificationPage',
    )
    .implement({
      fields: (t) => ({
        items: t.field({ type: [Notification], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
        unreadCount: t.int({ resolve: (page) => page.unread_count }),
      }),
    });

  builder.queryFields((t) => ({
    notifications: t.field({
      type: NotificationPage,
      args: { unreadOnly: t.arg.boolean(), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        { permission: 'notification:read' },
        (_p, args: { unreadOnly?: boolean | null; first?: number | null; after?: string | null }, c) =>
          service.list(
            c.caller,
            parseInput(notificationListInput, {
              unread_only: args.unreadOnly ?? false,
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
  }));
  builder.mutationFields((t) => ({
    markNotificationRead: t.field({
      type: Notification,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'notification:read' }, (_p, args: { id: string | number }, c) =>
        service.markRead(c.caller, Number(args.id)),
      ),
    }),
    markAllNotificationsRead: t.int({
      ...withAccess(
        { permission: 'notification:read' },
        async (_p, _a, c) => (await service.markAllRead(c.caller)).updated,
      ),
    }),
  }));
  builder.subscriptionFields((t) => ({
    notificationAdded: t.field({
      type: Notification,
      description: 'Each notification for the signed-in user, as it is raised',
      extensions: { access: { permission: 'notification:read' } },
      subscribe: (_root, _args, context) => {
        const ctx = requirePermission(context.caller, 'notification:read');
        return context.pubsub.subscribe(notificationTopic(ctx.actor.id ?? 0)) as Promise<
          AsyncIterable<{ id: number }>
        >;
      },
      resolve: (payload: { id: number }, _args, context) => service.get(context.caller, payload.id),
    }),
  }));
}
