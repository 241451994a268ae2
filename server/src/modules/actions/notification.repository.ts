// Brings this module's tables into the Kysely `Tables` interface for every program that uses this file.
import type {} from './notification.schema.ts';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { NotificationListInput, NotificationOutput } from './notification.dto.ts';

const columns = ['id', 'kind', 'title', 'body', 'link', 'site_id', 'created_at', 'read_at'] as const;

/** Row-level security limits every read here to the caller's own notifications. */
export function listNotifications(
  tx: Tx,
  userId: number,
  filter: NotificationListInput,
): Promise<NotificationOutput[]> {
  let query = tx
    .selectFrom('notifications')
    .select(columns)
    .where('user_id', '=', userId)
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.unread_only) query = query.where('read_at', 'is', null);
  if (filter.cursor) query = query.where('id', '<', filter.cursor.id);
  return query.execute();
}

export async function countUnread(tx: Tx, userId: number): Promise<number> {
  const row = await tx
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function findNotification(tx: Tx, id: number): Promise<NotificationOutput | undefined> {
  return tx.selectFrom('notifications').select(columns).where('id', '=', id).executeTakeFirst();
}

export function markRead(tx: Tx, userId: number, id: number): Promise<NotificationOutput | undefined> {
  return tx
    .updateTable('notifications')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .returning(columns)
    .executeTakeFirst();
}

export async function markAllRead(tx: Tx, userId: number): Promise<number> {
  const result = await tx
    .updateTable('notifications')
    .set({ read_at: new Date() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** No RETURNING: rows for other people are not visible to the raiser (row-level security). */
export async function insertNotifications(
  tx: Tx,
  userIds: readonly number[],
  note: {
    kind: string;
    title: string;
    body: string | null;
    link: string | null;
    site_id: number | null;
    data: unknown;
  },
): Promise<void> {
  if (userIds.length === 0) return;
  await tx
    .insertInto('notifications')
    .values(
      userIds.map((userId) => ({
        user_id: userId,
        kind: note.kind,
        title: note.title,
        body: note.body,
        link: note.link,
        site_id: note.site_id,
        data: note.data === undefined ? null : JSON.stringify(note.data),
      })),
    )
    .execute();
}
