import type { Kysely } from 'kysely';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { defineError } from '../../platform/errors.ts';
import type { Tables } from '../../platform/db/tables.ts';
import { pageOf } from '../../platform/pagination.ts';
import { parseInput } from '../../platform/validation.ts';
import {
  raiseNotificationInput,
  type NotificationListInput,
  type NotificationOutput,
  type RaiseNotificationInput,
} from './notification.dto.ts';
import * as notifications from './notification.repository.ts';

export const notificationNotFound = defineError('not_found', 'NOTIFICATION_NOT_FOUND');

export type FindRecipients = (
  db: Kysely<Tables>,
  roles: readonly string[],
  siteId: number | null,
) => Promise<number[]>;

export function createNotificationService(deps: {
  db: Pick<Database, 'transaction'>;
  findRecipients: FindRecipients;
}) {
  const { db } = deps;

  function ownerOf(request: RequestContext): { ctx: AuthedContext; userId: number } {
    const ctx = requirePermission(request, 'notification:read');
    if (ctx.actor.kind !== 'user' || ctx.actor.id === null)
      throw notificationNotFound('Only people have notifications');
    return { ctx, userId: ctx.actor.id };
  }

  return {
    /**
     * The one way modules tell people something. Runs in the caller's transaction: the notification
     * exists exactly when the change that caused it commits, and is pushed live only then.
     */
    async raise(tx: Tx, input: RaiseNotificationInput): Promise<number> {
      const note = parseInput(raiseNotificationInput, input);
      const userIds =
        'user_ids' in note.recipients
          ? note.recipients.user_ids
          : await deps.findRecipients(tx, note.recipients.roles, note.site_id ?? null);
      const unique = [...new Set(userIds)];
      await notifications.insertNotifications(tx, unique, {
        kind: note.kind,
        title: note.title,
        body: note.body ?? null,
        link: note.link ?? null,
        site_id: note.site_id ?? null,
        data: note.data,
      });
      return unique.length;
    },

    async list(request: RequestContext, filter: NotificationListInput) {
      const { ctx, userId } = ownerOf(request);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const rows = await notifications.listNotifications(tx, userId, filter);
        const unread = await notifications.countUnread(tx, userId);
        return { ...pageOf(rows, filter.limit, (row) => ({ id: row.id })), unread_count: unread };
      });
    },

    async get(request: RequestContext, id: number): Promise<NotificationOutput> {
      const { ctx } = ownerOf(request);
      const found = await db.transaction(scopeOf(ctx), (tx) => notifications.findNotification(tx, id));
      if (!found) throw notificationNotFound(`No notification with id ${id}`);
      return found;
    },

    async unreadCount(request: RequestContext): Promise<number> {
      const { ctx, userId } = ownerOf(request);
      return db.transaction(scopeOf(ctx), (tx) => notifications.countUnread(tx, userId));
    },

    async markRead(request: RequestContext, id: number): Promise<NotificationOutput> {
      const { ctx, userId } = ownerOf(request);
      const updated = await db.transaction(scopeOf(ctx), (tx) => notifications.markRead(tx, userId, id));
      if (!updated) throw notificationNotFound(`No notification with id ${id}`);
      return updated;
    },

    async markAllRead(request: RequestContext): Promise<{ updated: number }> {
      const { ctx, userId } = ownerOf(request);
      return { updated: await db.transaction(scopeOf(ctx), (tx) => notifications.markAllRead(tx, userId)) };
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
