import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from '../plant/index.ts';
import type {} from './checklist.schema.ts';
import type { LogFilter, LogOutput } from './maintenance-log.dto.ts';
import type { CheckResult, LogKind } from './maintenance-log.schema.ts';
import type {} from './pm.schema.ts';
import type {} from './tools.schema.ts';

function selectLogs(tx: Tx) {
  // Sub-selects, not joins: evaluated for the page's rows only.
  return tx.selectFrom('maintenance_logs as l').select([
    'l.id',
    'l.site_id',
    'l.tool_id',
    sql<string | null>`(select t.asset_number from tools t where t.id = l.tool_id)`.as('tool_asset_number'),
    'l.machine_id',
    sql<string | null>`(select m.code from machines m where m.id = l.machine_id)`.as('machine_code'),
    'l.pm_plan_id',
    sql<string | null>`(select p.name from pm_plans p where p.id = l.pm_plan_id)`.as('pm_plan_name'),
    'l.checklist_template_id',
    sql<string | null>`(select c.name from checklist_templates c where c.id = l.checklist_template_id)`.as(
      'checklist_template_name',
    ),
    'l.kind',
    'l.performed_by',
    sql<string>`(select coalesce(u.full_name, u.username) from users u where u.id = l.performed_by)`.as(
      'performed_by_name',
    ),
    'l.started_at',
    'l.duration_minutes',
    'l.findings',
    'l.follow_up_required',
    'l.follow_up',
    'l.action_item_id',
    sql<number | null>`l.shots_at::float8`.as('shots_at'),
    sql<LogOutput['checks']>`coalesce((
        select json_agg(json_build_object('position', c.position, 'item', c.item, 'required', c.required,
          'result', c.result, 'note', c.note) order by c.position)
        from maintenance_log_checks c where c.log_id = l.id), '[]')`.as('checks'),
    sql<number>`(select count(*) from maintenance_log_checks c
        where c.log_id = l.id and c.result = 'not_ok')::int`.as('not_ok_count'),
    'l.created_by',
    'l.created_at',
  ]);
}

export function findLog(tx: Tx, id: number): Promise<LogOutput | undefined> {
  return selectLogs(tx).where('l.id', '=', id).executeTakeFirst();
}

export function listLogs(tx: Tx, filter: LogFilter): Promise<LogOutput[]> {
  let query = selectLogs(tx)
    .orderBy('l.started_at', 'desc')
    .orderBy('l.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id) query = query.where('l.site_id', '=', filter.site_id);
  if (filter.tool_id) query = query.where('l.tool_id', '=', filter.tool_id);
  if (filter.machine_id) query = query.where('l.machine_id', '=', filter.machine_id);
  if (filter.pm_plan_id) query = query.where('l.pm_plan_id', '=', filter.pm_plan_id);
  if (filter.kind) query = query.where('l.kind', '=', filter.kind);
  if (filter.performed_by) query = query.where('l.performed_by', '=', filter.performed_by);
  if (filter.follow_up_required !== undefined)
    query = query.where('l.follow_up_required', '=', filter.follow_up_required);
  if (filter.from) query = query.where('l.started_at', '>=', filter.from);
  if (filter.to) query = query.where('l.started_at', '<', filter.to);
  if (filter.cursor)
    query = query.where(
      sql<boolean>`(l.started_at, l.id) < (${filter.cursor.started_at}, ${filter.cursor.id})`,
    );
  return query.execute();
}

export interface LogRecord {
  site_id: number;
  tool_id: number | null;
  machine_id: number | null;
  pm_plan_id: number | null;
  checklist_template_id: number | null;
  kind: LogKind;
  performed_by: number;
  started_at: Date;
  duration_minutes: number;
  findings: string | null;
  follow_up_required: boolean;
  follow_up: string | null;
  shots_at: number | null;
  created_by: number | null;
}

export async function insertLog(tx: Tx, row: LogRecord): Promise<number> {
  return (await tx.insertInto('maintenance_logs').values(row).returning('id').executeTakeFirstOrThrow()).id;
}

export async function insertChecks(
  tx: Tx,
  logId: number,
  siteId: number,
  checks: readonly {
    position: number;
    item: string;
    required: boolean;
    result: CheckResult;
    note: string | null;
  }[],
): Promise<void> {
  if (checks.length === 0) return;
  await tx
    .insertInto('maintenance_log_checks')
    .values(checks.map((check) => ({ ...check, log_id: logId, site_id: siteId })))
    .execute();
}

export async function setLogAction(tx: Tx, logId: number, actionId: number): Promise<void> {
  await tx
    .updateTable('maintenance_logs')
    .set({ action_item_id: actionId })
    .where('id', '=', logId)
    .execute();
}

export function findMachine(tx: Tx, id: number) {
  return tx.selectFrom('machines').select(['id', 'site_id', 'code']).where('id', '=', id).executeTakeFirst();
}

export function findPlanRef(tx: Tx, id: number) {
  return tx
    .selectFrom('pm_plans')
    .select(['id', 'site_id', 'tool_id', 'name', 'checklist_template_id', 'responsible_user_id', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function templateWithItems(tx: Tx, id: number) {
  const template = await tx
    .selectFrom('checklist_templates')
    .select(['id', 'site_id', 'name', 'is_active', 'applies_to'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!template) return undefined;
  const items = await tx
    .selectFrom('checklist_template_items')
    .select(['id', 'position', 'text', 'required'])
    .where('template_id', '=', id)
    .orderBy('position')
    .execute();
  return { ...template, items };
}

export function logSite(tx: Tx, id: number) {
  return tx.selectFrom('maintenance_logs').select('site_id').where('id', '=', id).executeTakeFirst();
}
