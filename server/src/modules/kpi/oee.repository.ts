import { sql, type RawBuilder } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { KpiScope } from './kpi.dto.ts';
import type { SiteCalendar } from './oee.shifts.ts';

/**
 * The only SQL of OEE. Everything runs in the caller's transaction under row-level security, for a
 * known set of machines and the period [from, until) with `now` read once per request.
 */

export interface OeeMachineRow {
  id: number;
  site_id: number;
  line_id: number;
  code: string;
  name: string;
  ideal_cycle_seconds: number | null;
}

export interface Window {
  machineIds: readonly number[];
  from: Date;
  until: Date;
  now: Date;
}

const machineColumns = sql`m.id::int as id, m.site_id::int as site_id, m.line_id::int as line_id, m.code,
  m.name, m.ideal_cycle_seconds::float8 as ideal_cycle_seconds`;

/** A line's or site's active machines, or the one machine asked for (active or not), by code. */
export async function machinesOfScope(tx: Tx, scope: KpiScope): Promise<OeeMachineRow[]> {
  const filter =
    scope.kind === 'site'
      ? sql`m.site_id = ${scope.id} and m.is_active`
      : scope.kind === 'line'
        ? sql`m.line_id = ${scope.id} and m.is_active`
        : sql`m.id = ${scope.id}`;
  const { rows } = await sql<OeeMachineRow>`
    select ${machineColumns} from machines m where ${filter} order by m.code, m.id`.execute(tx);
  return rows;
}

/** The visible machines among `ids` (the live board's). */
export async function machinesById(tx: Tx, ids: readonly number[]): Promise<OeeMachineRow[]> {
  const { rows } = await sql<OeeMachineRow>`
    select ${machineColumns} from machines m where m.id = any(${ids}::bigint[]) order by m.code, m.id`.execute(
    tx,
  );
  return rows;
}

/** The site's time zone and shift calendar (no calendar: around the clock). */
export async function siteCalendar(tx: Tx, siteId: number): Promise<SiteCalendar | undefined> {
  const { rows } = await sql<SiteCalendar>`
    select s.time_zone, coalesce(c.shifts, '[]'::jsonb) as shifts,
      coalesce(c.non_working_dates, '[]'::jsonb) as non_working_dates
    from sites s left join shift_calendars c on c.site_id = s.id where s.id = ${siteId}`.execute(tx);
  return rows[0];
}

export interface OeeDowntimeRow {
  id: number;
  machine_id: number;
  start_at: Date;
  end_at: Date | null;
  planned: boolean;
  source: string;
  comment: string | null;
  reason_code: string | null;
  reason_name: string | null;
  reason_name_ru: string | null;
  category_code: string | null;
  is_failure: boolean | null;
}

/** Stops that overlap the period (an open one lasts until now), oldest first. */
export async function downtimesOf(tx: Tx, w: Window): Promise<OeeDowntimeRow[]> {
  const { rows } = await sql<OeeDowntimeRow>`
    select d.id::int as id, d.machine_id::int as machine_id, d.start_at, d.end_at, d.planned, d.source,
      d.comment, r.code as reason_code, r.name as reason_name, r.name_ru as reason_name_ru,
      c.code as category_code, c.is_failure
    from downtimes d
    left join downtime_reasons r on r.id = d.reason_id
    left join downtime_categories c on c.id = r.category_id
    where d.machine_id = any(${w.machineIds}::bigint[])
      and d.start_at < ${w.until}::timestamptz and coalesce(d.end_at, ${w.now}::timestamptz) > ${w.from}::timestamptz
    order by d.start_at, d.id`.execute(tx);
  return rows;
}

export interface OeeStaleRow {
  machine_id: number;
  source: string;
  reason: string;
  started_at: Date;
  ended_at: Date | null;
}

/** Stale-data periods of any source that overlap the period (an open one lasts until now). */
export async function stalePeriodsOf(tx: Tx, w: Window): Promise<OeeStaleRow[]> {
  const { rows } = await sql<OeeStaleRow>`
    select machine_id::int as machine_id, source, reason, started_at, ended_at
    from machine_stale_periods
    where machine_id = any(${w.machineIds}::bigint[])
      and started_at < ${w.until}::timestamptz and coalesce(ended_at, ${w.now}::timestamptz) > ${w.from}::timestamptz
    order by started_at`.execute(tx);
  return rows;
}

export interface OeeMountingRow {
  machine_id: number;
  tool_id: number;
  tool_code: string;
  mounted_at: Date;
  removed_at: Date | null;
  ideal_cycle_seconds: number | null;
}

/** Tools mounted on the machines at any time of the period, with their ideal cycle time. */
export async function mountingsOf(tx: Tx, w: Window): Promise<OeeMountingRow[]> {
  const { rows } = await sql<OeeMountingRow>`
    select tm.machine_id::int as machine_id, tm.tool_id::int as tool_id, t.asset_number as tool_code,
      tm.mounted_at, tm.removed_at, t.ideal_cycle_seconds::float8 as ideal_cycle_seconds
    from tool_mountings tm join tools t on t.id = tm.tool_id
    where tm.machine_id = any(${w.machineIds}::bigint[])
      and tm.mounted_at < ${w.until}::timestamptz
      and (tm.removed_at is null or tm.removed_at > ${w.from}::timestamptz)
    order by tm.mounted_at`.execute(tx);
  return rows;
}

export interface SignalPresence {
  machine_id: number;
  /** Counters the machine has ever reported before the period's end. */
  cycle_counter: boolean;
  good_counter: boolean;
  reject_counter: boolean;
  /** Good or reject values inside the period: quality comes from counters, not verdicts. */
  quality_counts: boolean;
  verdicts: boolean;
}

export async function signalPresence(tx: Tx, w: Window): Promise<SignalPresence[]> {
  // Scalar subqueries ordered like the index, with LIMIT 1: one index probe per machine and kind (an
  // EXISTS is planned as a hashed scan of every counter value, and without the order row-level
  // security's filter makes the planner read every matching entry first).
  const found = (condition: RawBuilder<unknown>) =>
    sql`(select true from machine_counts c where c.machine_id = m.id and ${condition}
      order by c.at desc limit 1) is not null`;
  const until = sql`${w.until}::timestamptz`;
  const inPeriod = sql`c.at >= ${w.from}::timestamptz and c.at < ${until}`;
  const { rows } = await sql<SignalPresence>`
    select m.id::int as machine_id,
      ${found(sql`c.kind = 'cycle' and c.at < ${until}`)} as cycle_counter,
      ${found(sql`c.kind = 'good' and c.at < ${until}`)} as good_counter,
      ${found(sql`c.kind = 'reject' and c.at < ${until}`)} as reject_counter,
      (${found(sql`c.kind = 'good' and ${inPeriod}`)} or ${found(sql`c.kind = 'reject' and ${inPeriod}`)})
        as quality_counts,
      (select true from test_results t where t.machine_id = m.id and t.verdict in ('PASS', 'FAIL')
        and t.measured_at >= ${w.from}::timestamptz and t.measured_at < ${until}
        order by t.measured_at desc limit 1) is not null as verdicts
    from unnest(${w.machineIds}::bigint[]) as m (id)`.execute(tx);
  return rows;
}
