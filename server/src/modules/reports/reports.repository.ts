import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './reports.schema.ts';
import type {
  FailureCodeCount,
  OverdueAction,
  PmPlanUsage,
  ReportSite,
  ToolNearLimit,
  WeeklyReportRow,
} from './reports.dto.ts';

/** The site as the report names it; undefined when it does not exist or is not visible. */
export async function findSite(tx: Tx, siteId: number): Promise<ReportSite | undefined> {
  const { rows } = await sql<ReportSite>`
    select id, code, name, time_zone from sites where id = ${siteId}`.execute(tx);
  return rows[0];
}

export async function activeSites(tx: Tx): Promise<ReportSite[]> {
  const { rows } = await sql<ReportSite>`
    select id, code, name, time_zone from sites where is_active order by id`.execute(tx);
  return rows;
}

/** Failure codes named in the week by failure reports (when they happened) and repairs (when they began). */
export async function topFailureCodes(
  tx: Tx,
  siteId: number,
  from: Date,
  to: Date,
  limit: number,
): Promise<FailureCodeCount[]> {
  const { rows } = await sql<FailureCodeCount>`
    select fc.code, fc.name,
           count(*) filter (where x.kind = 'report')::int as reports,
           count(*) filter (where x.kind = 'repair')::int as repairs,
           count(*)::int as total
      from (
        select failure_code_id, 'report' as kind from failure_reports
         where site_id = ${siteId} and occurred_at >= ${from} and occurred_at < ${to}
        union all
        select failure_code_id, 'repair' from repairs
         where site_id = ${siteId} and start_at >= ${from} and start_at < ${to} and failure_code_id is not null
      ) x
      join failure_codes fc on fc.id = x.failure_code_id
     group by fc.code, fc.name
     order by total desc, fc.code
     limit ${limit}`.execute(tx);
  return rows;
}

/** Open and in-progress actions whose due time is before `asOf`, oldest due first, with their count. */
export async function overdueActions(
  tx: Tx,
  siteId: number,
  asOf: Date,
  limit: number,
): Promise<{ total: number; items: OverdueAction[] }> {
  const { rows } = await sql<OverdueAction & { total: number }>`
    select a.id, a.title, a.priority, a.status, a.due_at,
           coalesce(u.full_name, u.username) as assignee,
           floor(extract(epoch from (${asOf}::timestamptz - a.due_at)) / 86400)::int as days_late,
           count(*) over ()::int as total
      from action_items a
      left join users u on u.id = a.assignee_id
     where a.site_id = ${siteId} and a.status in ('open', 'in_progress') and a.due_at < ${asOf}
     order by a.due_at, a.id
     limit ${limit}`.execute(tx);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ total: _total, ...item }) => item),
  };
}

/** Tools in use whose shots have reached `share` of their life limit, most worn first. */
export async function toolsNearLimit(
  tx: Tx,
  siteId: number,
  share: number,
  limit: number,
): Promise<ToolNearLimit[]> {
  const { rows } = await sql<ToolNearLimit>`
    select id, asset_number, name, total_shots, life_limit_shots,
           (total_shots::float8 / life_limit_shots) as share
      from tools
     where site_id = ${siteId} and status <> 'retired' and life_limit_shots is not null
       and total_shots >= life_limit_shots * ${share}::float8
     order by share desc, asset_number
     limit ${limit}`.execute(tx);
  return rows;
}

/** Active PM plans of the site with what their state is computed from (shots and days since last done). */
export async function pmPlanUsage(tx: Tx, siteId: number, asOf: Date): Promise<PmPlanUsage[]> {
  const { rows } = await sql<PmPlanUsage>`
    select p.id, p.name, t.asset_number, t.name as tool_name, p.every_shots, p.every_days,
           p.warn_at_share::float8 as warn_at_share,
           greatest(t.total_shots - p.shots_at_last_done, 0) as shots_since,
           greatest(extract(epoch from (${asOf}::timestamptz - p.last_done_at)) / 86400, 0)::float8 as days_since,
           coalesce(u.full_name, u.username) as responsible, p.state as stored_state
      from pm_plans p
      join tools t on t.id = p.tool_id
      left join users u on u.id = p.responsible_user_id
     where p.site_id = ${siteId} and p.is_active and t.status <> 'retired'
     order by t.asset_number, p.name`.execute(tx);
  return rows;
}

/** E-mail addresses of the active managers who are members of the site. */
export async function siteManagerEmails(tx: Tx, siteId: number): Promise<string[]> {
  const { rows } = await sql<{ email: string }>`
    select distinct u.email from users u
      join user_sites s on s.user_id = u.id and s.site_id = ${siteId}
     where u.is_active and u.role = 'manager' and u.email is not null and u.email <> ''
     order by u.email`.execute(tx);
  return rows.map((row) => row.email);
}

const summary = [
  'r.id',
  'r.site_id',
  's.code as site_code',
  's.name as site_name',
  'r.week_start',
  'r.period_from',
  'r.period_to',
  'r.status',
  'r.size_bytes',
  'r.error',
  'r.trigger',
  'r.requested_by',
  'r.generated_at',
  'r.emailed_at',
  'r.email_recipients',
] as const;

export async function listWeeklyReports(
  tx: Tx,
  filter: {
    site_id?: number | undefined;
    cursor?: { week_start: string; id: number } | undefined;
    limit: number;
  },
): Promise<WeeklyReportRow[]> {
  let query = tx
    .selectFrom('weekly_reports as r')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .select(summary)
    .orderBy('r.week_start', 'desc')
    .orderBy('r.id', 'desc')
    .limit(filter.limit + 1);
  if (filter.site_id !== undefined) query = query.where('r.site_id', '=', filter.site_id);
  const cursor = filter.cursor;
  if (cursor) {
    query = query.where((eb) =>
      eb.or([
        eb('r.week_start', '<', cursor.week_start),
        eb.and([eb('r.week_start', '=', cursor.week_start), eb('r.id', '<', cursor.id)]),
      ]),
    );
  }
  return query.execute();
}

export async function findWeeklyReport(tx: Tx, id: number): Promise<WeeklyReportRow | undefined> {
  return tx
    .selectFrom('weekly_reports as r')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .select(summary)
    .where('r.id', '=', id)
    .executeTakeFirst();
}

export async function findWeeklyReportBySiteWeek(
  tx: Tx,
  siteId: number,
  weekStart: string,
): Promise<WeeklyReportRow | undefined> {
  return tx
    .selectFrom('weekly_reports as r')
    .innerJoin('sites as s', 's.id', 'r.site_id')
    .select(summary)
    .where('r.site_id', '=', siteId)
    .where('r.week_start', '=', weekStart)
    .executeTakeFirst();
}

export async function weeklyReportPdf(tx: Tx, id: number): Promise<Buffer | null | undefined> {
  const row = await tx.selectFrom('weekly_reports').select('pdf').where('id', '=', id).executeTakeFirst();
  return row?.pdf;
}

export interface StoredReport {
  site_id: number;
  week_start: string;
  period_from: Date;
  period_to: Date;
  pdf: Buffer;
  trigger: 'job' | 'request';
  requested_by: number | null;
  generated_at: Date;
}

/** The job's write: nothing when the site's week already has a ready report (another worker or a request). */
export async function insertReportOnce(tx: Tx, report: StoredReport): Promise<number | undefined> {
  const row = await tx
    .insertInto('weekly_reports')
    .values({ ...report, status: 'ready', size_bytes: report.pdf.length })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'week_start'])
        .doUpdateSet({
          pdf: report.pdf,
          size_bytes: report.pdf.length,
          status: 'ready',
          error: null,
          generated_at: report.generated_at,
        })
        // Only a failed attempt is written over; a ready report stays as it is.
        .where('weekly_reports.status', '=', 'failed'),
    )
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** "Generate now": writes the week's report, replacing an earlier one of the same week. */
export async function upsertReport(tx: Tx, report: StoredReport): Promise<number> {
  const row = await tx
    .insertInto('weekly_reports')
    .values({ ...report, status: 'ready', size_bytes: report.pdf.length })
    .onConflict((oc) =>
      oc.columns(['site_id', 'week_start']).doUpdateSet({
        period_from: report.period_from,
        period_to: report.period_to,
        pdf: report.pdf,
        size_bytes: report.pdf.length,
        status: 'ready',
        error: null,
        trigger: report.trigger,
        requested_by: report.requested_by,
        generated_at: report.generated_at,
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A failed generation is kept visible (status 'failed' with the reason) unless a ready one exists. */
export async function recordFailure(tx: Tx, report: Omit<StoredReport, 'pdf'>, error: string): Promise<void> {
  await tx
    .insertInto('weekly_reports')
    .values({ ...report, status: 'failed', pdf: null, error: error.slice(0, 2000) })
    .onConflict((oc) => oc.columns(['site_id', 'week_start']).doNothing())
    .execute();
}

export async function markEmailed(tx: Tx, id: number, recipients: number, at: Date): Promise<void> {
  await tx
    .updateTable('weekly_reports')
    .set({ emailed_at: at, email_recipients: recipients })
    .where('id', '=', id)
    .execute();
}
