import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ActionEventOutput, ActionFilter, ActionOutput } from './action-item.dto.ts';
import type { ActionEventKind } from './action-item.schema.ts';

function baseQuery(tx: Tx) {
  return tx
    .selectFrom('action_items as a')
    .leftJoin('users as u', 'u.id', 'a.assignee_id')
    .leftJoin('machines as m', 'm.id', 'a.machine_id')
    .leftJoin('sites as s', 's.id', 'a.site_id')
    .select([
      'a.id',
      'a.site_id',
      's.code as site_code',
      'a.title',
      'a.description',
      'a.source',
      'a.source_id',
      'a.machine_id',
      'm.code as machine_code',
      'a.tool_id',
      // The tools module owns the table; a scalar subquery keeps this file independent of its types.
      sql<string | null>`(select t.asset_number from tools t where t.id = a.tool_id)`.as('tool_asset_number'),
      'a.priority',
      'a.assignee_id',
      sql<string | null>`coalesce(u.full_name, u.username)`.as('assignee_name'),
      'a.due_at',
      'a.status',
      'a.resolution',
      'a.created_by',
      'a.created_at',
      'a.updated_at',
      'a.completed_at',
      'a.completed_by',
      'a.escalation_level',
      sql<boolean>`(a.status in ('open', 'in_progress') and a.due_at is not null and a.due_at < now())`.as(
        'overdue',
      ),
    ]);
}

export async function findAction(tx: Tx, id: number, lock = false): Promise<ActionOutput | undefined> {
  if (lock) await sql`select 1 from action_items where id = ${id} for update`.execute(tx);
  return baseQuery(tx).where('a.id', '=', id).executeTakeFirst() as Promise<ActionOutput | undefined>;
}

export function listActions(tx: Tx, filter: ActionFilter, callerId: number | null): Promise<ActionOutput[]> {
  let query = baseQuery(tx)
    .orderBy('a.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.status) query = query.where('a.status', 'in', filter.status);
  if (filter.assignee === 'mine') query = query.where('a.assignee_id', '=', callerId ?? -1);
  else if (filter.assignee === 'none') query = query.where('a.assignee_id', 'is', null);
  else if (filter.assignee !== undefined) query = query.where('a.assignee_id', '=', filter.assignee);
  if (filter.site_id) query = query.where('a.site_id', '=', filter.site_id);
  if (filter.source) query = query.where('a.source', 'in', filter.source);
  if (filter.source_id) query = query.where('a.source_id', '=', filter.source_id);
  if (filter.machine_id) query = query.where('a.machine_id', '=', filter.machine_id);
  if (filter.tool_id) query = query.where('a.tool_id', '=', filter.tool_id);
  if (filter.overdue === true)
    query = query
      .where('a.status', 'in', ['open', 'in_progress'])
      .where('a.due_at', 'is not', null)
      .where('a.due_at', '<', sql<Date>`now()`);
  if (filter.overdue === false)
    query = query.where((eb) =>
      eb.or([
        eb('a.status', 'not in', ['open', 'in_progress']),
        eb('a.due_at', 'is', null),
        eb('a.due_at', '>=', sql<Date>`now()`),
      ]),
    );
  if (filter.due_before) query = query.where('a.due_at', '<', filter.due_before);
  if (filter.due_after) query = query.where('a.due_at', '>=', filter.due_after);
  if (filter.cursor) query = query.where('a.id', '<', filter.cursor.id);
  return query.execute() as Promise<ActionOutput[]>;
}

export function listEvents(tx: Tx, actionId: number): Promise<ActionEventOutput[]> {
  return tx
    .selectFrom('action_item_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_user_id')
    .select([
      'e.id',
      'e.at',
      'e.actor_user_id',
      sql<string | null>`coalesce(u.full_name, u.username)`.as('actor_name'),
      'e.kind',
      'e.from_value',
      'e.to_value',
      'e.note',
    ])
    .where('e.action_item_id', '=', actionId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

export async function insertEvent(
  tx: Tx,
  event: {
    action_item_id: number;
    site_id: number;
    actor_user_id: number | null;
    kind: ActionEventKind;
    from_value?: string | null;
    to_value?: string | null;
    note?: string | null;
    at?: Date;
  },
): Promise<void> {
  await tx
    .insertInto('action_item_events')
    .values({
      action_item_id: event.action_item_id,
      site_id: event.site_id,
      actor_user_id: event.actor_user_id,
      kind: event.kind,
      from_value: event.from_value ?? null,
      to_value: event.to_value ?? null,
      note: event.note ?? null,
      ...(event.at ? { at: event.at } : {}),
    })
    .execute();
}

export async function updateAction(
  tx: Tx,
  id: number,
  changes: Partial<{
    title: string;
    description: string | null;
    priority: string;
    assignee_id: number | null;
    due_at: Date | null;
    status: string;
    resolution: string | null;
    completed_at: Date | null;
    completed_by: number | null;
    overdue_notified_at: Date | null;
    escalation_level: number;
    escalated_at: Date | null;
  }>,
): Promise<void> {
  await tx
    .updateTable('action_items')
    .set({ ...(changes as Record<string, unknown>), updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function machineSite(tx: Tx, machineId: number): Promise<number | undefined> {
  const row = await tx
    .selectFrom('machines')
    .select('site_id')
    .where('id', '=', machineId)
    .executeTakeFirst();
  return row?.site_id;
}

export async function toolSite(tx: Tx, toolId: number): Promise<number | undefined> {
  const row = await sql<{ site_id: number }>`select site_id from tools where id = ${toolId}`.execute(tx);
  return row.rows[0]?.site_id;
}
