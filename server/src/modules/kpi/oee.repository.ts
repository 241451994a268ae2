import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { CountCell, VerdictCell } from './oee.calculations.ts';
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
  const ever = (kind: string) =>
    sql`exists (select 1 from machine_counts c where c.machine_id = m.id and c.kind = ${kind}
      and c.at < ${w.until}::timestamptz)`;
  const { rows } = await sql<SignalPresence>`
    select m.id::int as machine_id, ${ever('cycle')} as cycle_counter, ${ever('good')} as good_counter,
      ${ever('reject')} as reject_counter,
      exists (select 1 from machine_counts c where c.machine_id = m.id and c.kind in ('good', 'reject')
        and c.at >= ${w.from}::timestamptz and c.at < ${w.until}::timestamptz) as quality_counts,
      exists (select 1 from test_results t where t.machine_id = m.id and t.verdict in ('PASS', 'FAIL')
        and t.measured_at >= ${w.from}::timestamptz and t.measured_at < ${w.until}::timestamptz) as verdicts
    from unnest(${w.machineIds}::bigint[]) as m (id)`.execute(tx);
  return rows;
}

/** The machines' stale periods (all of them: an increase may cover time long before the period). */
function staleRanges(w: Window) {
  return sql`stale as (
    select machine_id, range_agg(tstzrange(started_at, coalesce(ended_at, ${w.now}::timestamptz))) as ranges
    from machine_stale_periods
    where machine_id = any(${w.machineIds}::bigint[]) and started_at < ${w.until}::timestamptz
      and coalesce(ended_at, ${w.now}::timestamptz) > started_at
    group by machine_id
  )`;
}

export interface CellQuery extends Window {
  /** Starts of every bucket but the first (width_bucket thresholds). */
  bucketStarts: readonly Date[];
  /** Per machine, the starts of every ideal segment but the first. */
  idealStarts: readonly { machine_id: number; at: Date }[];
  /** Drill-down: also split by local hour in this time zone. */
  hourlyIn?: string;
}

interface CellRow extends Omit<CountCell, 'delta'> {
  delta: number;
}

/**
 * Counter increases in the period summed per machine, kind, bucket, ideal segment and whether they
 * cover stale time (the SQL twin of `aggregateCounts` and `coversStale`). An increase was made between
 * the previous value and its own; the previous value of the first one in the period is looked up before
 * `from`.
 */
export async function countCells(tx: Tx, q: CellQuery): Promise<CountCell[]> {
  const hour = q.hourlyIn ? sql`date_trunc('hour', c.at, ${q.hourlyIn})` : sql`null::timestamptz`;
  const { rows } = await sql<CellRow & { hour: Date | null }>`
    with counts as (
      select mc.machine_id, mc.kind, mc.at, mc.delta,
        coalesce(lag(mc.at) over (partition by mc.machine_id, mc.kind order by mc.at),
          (select max(p.at) from machine_counts p
           where p.machine_id = mc.machine_id and p.kind = mc.kind and p.at < ${q.from}::timestamptz)) as previous_at
      from machine_counts mc
      where mc.machine_id = any(${q.machineIds}::bigint[])
        and mc.at >= ${q.from}::timestamptz and mc.at < ${q.until}::timestamptz
    ),
    ${staleRanges(q)},
    ideal as (
      select machine_id, array_agg(at order by at) as starts
      from unnest(${q.idealStarts.map((s) => s.machine_id)}::bigint[], ${q.idealStarts.map((s) => s.at)}::timestamptz[])
        as b (machine_id, at)
      group by machine_id
    )
    select c.machine_id::int as machine_id, c.kind,
      width_bucket(c.at, ${q.bucketStarts}::timestamptz[]) as bucket,
      coalesce(width_bucket(c.at, i.starts), 0) as ideal,
      coalesce(case when c.previous_at is null then s.ranges @> c.at
        else tstzrange(c.previous_at, c.at, '()') && s.ranges end, false) as excluded,
      ${hour} as hour,
      sum(c.delta)::float8 as delta
    from counts c
    left join stale s on s.machine_id = c.machine_id
    left join ideal i on i.machine_id = c.machine_id
    group by 1, 2, 3, 4, 5, 6`.execute(tx);
  return rows.map(({ hour: at, ...cell }) => (at ? { ...cell, hour: at } : cell));
}

/** PASS, FAIL and NO_LIMIT test verdicts per machine, bucket and whether they fall in stale time. */
export async function verdictCells(tx: Tx, q: Omit<CellQuery, 'idealStarts'>): Promise<VerdictCell[]> {
  const { rows } = await sql<VerdictCell>`
    with ${staleRanges(q)}
    select t.machine_id::int as machine_id,
      width_bucket(t.measured_at, ${q.bucketStarts}::timestamptz[]) as bucket,
      coalesce(s.ranges @> t.measured_at, false) as excluded,
      (count(*) filter (where t.verdict = 'PASS'))::int as pass,
      (count(*) filter (where t.verdict = 'FAIL'))::int as fail,
      (count(*) filter (where t.verdict = 'NO_LIMIT'))::int as no_limit
    from test_results t
    left join stale s on s.machine_id = t.machine_id
    where t.machine_id = any(${q.machineIds}::bigint[])
      and t.measured_at >= ${q.from}::timestamptz and t.measured_at < ${q.until}::timestamptz
    group by 1, 2, 3`.execute(tx);
  return rows;
}
