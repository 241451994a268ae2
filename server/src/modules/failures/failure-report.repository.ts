import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { FailureReportFilter, FailureReportOutput } from './failure-report.dto.ts';
import type {} from './failure-report.schema.ts';

/**
 * One report with what a reader needs beside it: tool, machine, code, reporter, and the state of the
 * action raised (a report is open until that action is completed or cancelled) and its photo count.
 */
const SELECT_REPORTS = sql`
  select r.id, r.site_id, r.tool_id, t.asset_number as tool_asset_number, t.name as tool_name,
    r.machine_id, m.code as machine_code, m.name as machine_name,
    r.failure_code_id, fc.code as failure_code, fc.name as failure_name,
    r.severity, r.description, r.occurred_at, r.containment_action,
    r.reported_by, coalesce(u.full_name, u.username) as reported_by_name, r.reported_at,
    case when a.status in ('completed', 'cancelled') then 'closed' else 'open' end as status,
    r.action_item_id, a.status as action_status, a.assignee_id as action_assignee_id,
    a.due_at as action_due_at,
    (select count(*)::int from attachments f
      where f.owner_type = 'failure_report' and f.owner_id = r.id and f.deleted_at is null) as photo_count
  from failure_reports r
  join failure_codes fc on fc.id = r.failure_code_id
  left join tools t on t.id = r.tool_id
  left join machines m on m.id = r.machine_id
  left join users u on u.id = r.reported_by
  left join action_items a on a.id = r.action_item_id`;

export async function findReport(tx: Tx, id: number): Promise<FailureReportOutput | undefined> {
  const result = await sql<FailureReportOutput>`${SELECT_REPORTS} where r.id = ${id}`.execute(tx);
  return result.rows[0];
}

/** Newest occurrence first; `limit + 1` rows so the caller knows whether there is a next page. */
export async function listReports(tx: Tx, filter: FailureReportFilter): Promise<FailureReportOutput[]> {
  const where = [sql`true`];
  if (filter.site_id) where.push(sql`r.site_id = ${filter.site_id}`);
  if (filter.tool_id) where.push(sql`r.tool_id = ${filter.tool_id}`);
  if (filter.machine_id) where.push(sql`r.machine_id = ${filter.machine_id}`);
  if (filter.failure_code_id) where.push(sql`r.failure_code_id = ${filter.failure_code_id}`);
  if (filter.severity) where.push(sql`r.severity = ${filter.severity}`);
  if (filter.status === 'closed') where.push(sql`a.status in ('completed', 'cancelled')`);
  if (filter.status === 'open') where.push(sql`(a.status is null or a.status in ('open', 'in_progress'))`);
  if (filter.from) where.push(sql`r.occurred_at >= ${filter.from}`);
  if (filter.to) where.push(sql`r.occurred_at < ${filter.to}`);
  if (filter.cursor) {
    where.push(sql`(r.occurred_at, r.id) < (${filter.cursor.occurred_at}, ${filter.cursor.id})`);
  }
  const result = await sql<FailureReportOutput>`${SELECT_REPORTS}
    where ${sql.join(where, sql` and `)}
    order by r.occurred_at desc, r.id desc
    limit ${filter.limit + 1}`.execute(tx);
  return result.rows;
}

export async function insertReport(
  tx: Tx,
  row: {
    site_id: number;
    tool_id: number | null;
    machine_id: number | null;
    failure_code_id: number;
    severity: string;
    description: string;
    occurred_at: Date;
    containment_action: string | null;
    reported_by: number | null;
  },
): Promise<number> {
  const inserted = await tx
    .insertInto('failure_reports')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function linkAction(tx: Tx, id: number, actionItemId: number): Promise<void> {
  await tx
    .updateTable('failure_reports')
    .set({ action_item_id: actionItemId })
    .where('id', '=', id)
    .execute();
}

/** The site of a report as the caller's transaction sees it (row-level security applies), or null. */
export async function failureReportSiteOf(tx: Tx, id: number): Promise<number | null> {
  const row = await tx
    .selectFrom('failure_reports')
    .select('site_id')
    .where('id', '=', id)
    .executeTakeFirst();
  return row?.site_id ?? null;
}

export function findFailureCode(tx: Tx, id: number) {
  return tx
    .selectFrom('failure_codes')
    .select(['id', 'code', 'name', 'default_severity', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findMachine(tx: Tx, id: number) {
  return tx
    .selectFrom('machines')
    .select(['id', 'site_id', 'code', 'name'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function findTool(
  tx: Tx,
  id: number,
): Promise<{ id: number; site_id: number; asset_number: string; name: string } | undefined> {
  const result = await sql<{ id: number; site_id: number; asset_number: string; name: string }>`
    select id, site_id, asset_number, name from tools where id = ${id}`.execute(tx);
  return result.rows[0];
}
