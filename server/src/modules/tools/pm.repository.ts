import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from '../actions/action-item.schema.ts';
import type {} from './checklist.schema.ts';
import type { PlanFilter } from './pm.dto.ts';
import type { PmState } from './pm.due.ts';
import type {} from './pm.schema.ts';
import type {} from './tools.schema.ts';

/** Window over which a tool's shots per day are averaged. */
export const RATE_WINDOW_DAYS = 30;

export interface PlanRow {
  id: number;
  site_id: number;
  tool_id: number;
  tool_asset_number: string;
  tool_name: string;
  tool_status: string;
  tool_total_shots: number;
  shots_per_day: number | null;
  name: string;
  every_shots: number | null;
  every_days: number | null;
  warn_at_share: number;
  checklist_template_id: number | null;
  checklist_template_name: string | null;
  responsible_user_id: number | null;
  responsible_name: string | null;
  is_active: boolean;
  last_done_at: Date;
  shots_at_last_done: number;
  last_log_id: number | null;
  state: PmState;
  state_changed_at: Date;
  warned_at: Date | null;
  due_raised_at: Date | null;
  overdue_notified_at: Date | null;
  action_item_id: number | null;
  created_at: Date;
  updated_at: Date;
}

function selectPlans(tx: Tx, now: Date) {
  return tx
    .selectFrom('pm_plans as p')
    .innerJoin('tools as t', 't.id', 'p.tool_id')
    .select([
      'p.id',
      'p.site_id',
      'p.tool_id',
      't.asset_number as tool_asset_number',
      't.name as tool_name',
      't.status as tool_status',
      sql<number>`t.total_shots::float8`.as('tool_total_shots'),
      // Shots per day over the last 30 days, or over the tool's life when it is younger.
      sql<number | null>`(
        select sum(r.delta)::float8 / greatest(1, extract(epoch from ${now}::timestamptz
          - greatest(${now}::timestamptz - make_interval(days => ${RATE_WINDOW_DAYS}), t.created_at)) / 86400)
        from tool_shot_readings r
        where r.tool_id = t.id and r.taken_at > ${now}::timestamptz - make_interval(days => ${RATE_WINDOW_DAYS})
          and r.taken_at <= ${now}::timestamptz)`.as('shots_per_day'),
      'p.name',
      sql<number | null>`p.every_shots::float8`.as('every_shots'),
      'p.every_days',
      sql<number>`p.warn_at_share::float8`.as('warn_at_share'),
      'p.checklist_template_id',
      sql<string | null>`(select c.name from checklist_templates c where c.id = p.checklist_template_id)`.as(
        'checklist_template_name',
      ),
      'p.responsible_user_id',
      sql<string | null>`(select coalesce(u.full_name, u.username) from users u
        where u.id = p.responsible_user_id)`.as('responsible_name'),
      'p.is_active',
      'p.last_done_at',
      sql<number>`p.shots_at_last_done::float8`.as('shots_at_last_done'),
      'p.last_log_id',
      'p.state',
      'p.state_changed_at',
      'p.warned_at',
      'p.due_raised_at',
      'p.overdue_notified_at',
      'p.action_item_id',
      'p.created_at',
      'p.updated_at',
    ]);
}

export function findPlan(tx: Tx, id: number, now: Date): Promise<PlanRow | undefined> {
  return selectPlans(tx, now).where('p.id', '=', id).executeTakeFirst();
}

export function listPlans(tx: Tx, filter: PlanFilter, now: Date): Promise<PlanRow[]> {
  let query = selectPlans(tx, now)
    .orderBy('p.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('p.site_id', '=', filter.site_id);
  if (filter.tool_id) query = query.where('p.tool_id', '=', filter.tool_id);
  if (filter.state) query = query.where('p.state', '=', filter.state);
  if (filter.responsible_user_id)
    query = query.where('p.responsible_user_id', '=', filter.responsible_user_id);
  if (!filter.include_inactive) query = query.where('p.is_active', '=', true);
  if (filter.cursor) query = query.where('p.id', '<', filter.cursor.id);
  return query.execute();
}

/**
 * Locks and reads the active plans to evaluate, in id order (so concurrent evaluations never
 * deadlock). `skipLocked` is for the periodic job: a plan some other transaction holds is evaluated
 * by that transaction.
 */
export function lockPlansForEvaluation(
  tx: Tx,
  where: { toolIds?: readonly number[]; planIds?: readonly number[] },
  now: Date,
  options: { skipLocked?: boolean } = {},
): Promise<PlanRow[]> {
  let query = selectPlans(tx, now)
    .where('p.is_active', '=', true)
    .where('t.status', '<>', 'retired')
    .orderBy('p.id');
  if (where.toolIds) query = query.where('p.tool_id', 'in', where.toolIds.length ? where.toolIds : [0]);
  if (where.planIds) query = query.where('p.id', 'in', where.planIds.length ? where.planIds : [0]);
  const locked = query.forUpdate('p');
  return (options.skipLocked ? locked.skipLocked() : locked).execute();
}

/**
 * Plans the clock can move on: day plans, and any plan past its warning (an overdue plan escalates
 * daily even when its tool stopped).
 */
export async function periodicPlanIdsAfter(tx: Tx, afterId: number, limit: number): Promise<number[]> {
  const rows = await tx
    .selectFrom('pm_plans as p')
    .select('p.id')
    .where('p.is_active', '=', true)
    .where('p.id', '>', afterId)
    .where((eb) =>
      eb.or([eb('p.every_days', 'is not', null), eb('p.state', 'in', ['warning', 'due', 'overdue'])]),
    )
    .orderBy('p.id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

export interface PlanChanges {
  state?: PmState;
  state_changed_at?: Date;
  warned_at?: Date | null;
  due_raised_at?: Date | null;
  overdue_notified_at?: Date | null;
  action_item_id?: number | null;
  last_done_at?: Date;
  shots_at_last_done?: number;
  last_log_id?: number | null;
}

export async function updatePlanState(tx: Tx, id: number, changes: PlanChanges): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('pm_plans').set(changes).where('id', '=', id).execute();
}

export interface PlanRecord {
  site_id: number;
  tool_id: number;
  name: string;
  every_shots: number | null;
  every_days: number | null;
  warn_at_share: number;
  checklist_template_id: number | null;
  responsible_user_id: number | null;
  last_done_at: Date;
  shots_at_last_done: number;
  created_by: number | null;
}

export async function insertPlan(tx: Tx, row: PlanRecord): Promise<number> {
  return (await tx.insertInto('pm_plans').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updatePlanRow(
  tx: Tx,
  id: number,
  changes: Partial<Omit<PlanRecord, 'site_id' | 'tool_id' | 'created_by'>> & { is_active?: boolean },
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('pm_plans').set(changes).where('id', '=', id).execute();
}

export async function planNameTaken(
  tx: Tx,
  toolId: number,
  name: string,
  exceptId: number | null,
): Promise<boolean> {
  let query = tx
    .selectFrom('pm_plans')
    .select('id')
    .where('tool_id', '=', toolId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId !== null) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function planLogCount(tx: Tx, id: number): Promise<number> {
  const row = await tx
    .selectFrom('maintenance_logs')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('pm_plan_id', '=', id)
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function deletePlan(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom('pm_plans').where('id', '=', id).execute();
}

/** The tool's shot total at an instant: today's total less what readings after it added. */
export async function toolShotsAt(tx: Tx, toolId: number, at: Date): Promise<number> {
  const row = await sql<{ shots: number }>`
    select (t.total_shots - coalesce((select sum(r.delta) from tool_shot_readings r
      where r.tool_id = t.id and r.taken_at > ${at}), 0))::float8 as shots
    from tools t where t.id = ${toolId}`.execute(tx);
  return Math.max(0, row.rows[0]?.shots ?? 0);
}

export function findTool(tx: Tx, id: number) {
  return tx
    .selectFrom('tools')
    .select(['id', 'site_id', 'asset_number', 'name', 'kind', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findTemplateRef(tx: Tx, id: number) {
  return tx
    .selectFrom('checklist_templates')
    .select(['id', 'site_id', 'is_active', 'applies_to'])
    .where('id', '=', id)
    .executeTakeFirst();
}

// ---------- the plan's action item (action_items belongs to the actions module) ----------

const PRIORITY_UP: Record<string, string> = {
  low: 'medium',
  medium: 'high',
  high: 'critical',
  critical: 'critical',
};

/** Raises an open action's priority one step (critical stays), with an 'escalated' history row. */
export async function escalateActionPriority(tx: Tx, actionId: number, note: string): Promise<void> {
  const action = await tx
    .selectFrom('action_items')
    .select(['id', 'site_id', 'priority', 'status'])
    .where('id', '=', actionId)
    .forUpdate()
    .executeTakeFirst();
  if (!action || (action.status !== 'open' && action.status !== 'in_progress')) return;
  const next = PRIORITY_UP[action.priority] ?? 'high';
  if (next !== action.priority)
    await tx
      .updateTable('action_items')
      .set({ priority: next as 'high', updated_at: new Date() })
      .where('id', '=', actionId)
      .execute();
  await tx
    .insertInto('action_item_events')
    .values({
      action_item_id: actionId,
      site_id: action.site_id,
      actor_user_id: null,
      kind: 'escalated',
      from_value: action.priority,
      to_value: next,
      note,
    })
    .execute();
}

/** Completes the open action of a PM plan (done through a maintenance log), with its history row. */
export async function completePlanAction(
  tx: Tx,
  planId: number,
  actorUserId: number | null,
  resolution: string,
): Promise<number | null> {
  const open = await tx
    .selectFrom('action_items')
    .select(['id', 'site_id', 'status'])
    .where('source', '=', 'pm_plan')
    .where('source_id', '=', planId)
    .where('status', 'in', ['open', 'in_progress'])
    .forUpdate()
    .executeTakeFirst();
  if (!open) return null;
  const at = new Date();
  await tx
    .updateTable('action_items')
    .set({ status: 'completed', completed_at: at, completed_by: actorUserId, resolution, updated_at: at })
    .where('id', '=', open.id)
    .execute();
  await tx
    .insertInto('action_item_events')
    .values({
      action_item_id: open.id,
      site_id: open.site_id,
      actor_user_id: actorUserId,
      kind: 'status',
      from_value: open.status,
      to_value: 'completed',
      note: resolution,
    })
    .execute();
  return open.id;
}

export function lockPlanRow(tx: Tx, id: number) {
  return tx
    .selectFrom('pm_plans')
    .select(['id', 'last_done_at'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}
