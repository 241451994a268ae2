import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { CountCell, VerdictCell } from './oee.calculations.ts';
import type { Window } from './oee.repository.ts';

/**
 * Output summed in SQL per machine, bucket (`width_bucket` over the bucket starts) and, for counters,
 * ideal segment, with what stale periods leave out. One statement each, whatever the number of rows.
 */

export interface CellQuery extends Window {
  /** Starts of every bucket but the first (width_bucket thresholds). */
  bucketStarts: readonly Date[];
  /** Per machine, the starts of every ideal segment but the first. */
  idealStarts: readonly { machine_id: number; at: Date }[];
  /** Drill-down: also split by local hour in this time zone. */
  hourlyIn?: string;
}

/** The machines' stale periods that are not empty (an open one lasts until now). */
function stalePeriods(w: Window) {
  return sql`stale as (
    select machine_id, started_at as s, coalesce(ended_at, ${w.now}::timestamptz) as e
    from machine_stale_periods
    where machine_id = any(${w.machineIds}::bigint[]) and started_at < ${w.until}::timestamptz
      and coalesce(ended_at, ${w.now}::timestamptz) > started_at
  )`;
}

/**
 * Counter increases in the period summed per machine, kind, bucket and ideal segment, apart for those
 * that cover stale time (the SQL twin of `aggregateCounts`). An increase is made between the previous
 * value and its own (`coversStale`), so the ones left out are exactly: values read inside a stale
 * period (after its start), and the first value of each counter at or after its end. Those few rows are
 * found through the stale periods and the index; every other row is only summed. Stale periods that
 * ended before a counter's last value before `from` cannot reach into the period and are skipped.
 */
export async function countCells(tx: Tx, q: CellQuery): Promise<CountCell[]> {
  const from = sql`${q.from}::timestamptz`;
  const until = sql`${q.until}::timestamptz`;
  const hour = q.hourlyIn ? sql`date_trunc('hour', c.at, ${q.hourlyIn})` : sql`null::timestamptz`;
  const { rows } = await sql<CountCell & { hour: Date | null }>`
    with ${stalePeriods(q)},
    counters as (
      select m.id as machine_id, k.kind,
        (select p.at from machine_counts p where p.machine_id = m.id and p.kind = k.kind and p.at < ${from}
         order by p.at desc limit 1) as last_before
      from unnest(${q.machineIds}::bigint[]) as m (id)
      cross join (values ('cycle'), ('good'), ('reject')) as k (kind)
    ),
    left_out as (
      select c.id from stale s
      join machine_counts c on c.machine_id = s.machine_id and c.at > s.s and c.at < s.e
        and c.at >= ${from} and c.at < ${until}
      union
      select first.id from counters k
      join stale s on s.machine_id = k.machine_id and s.e < ${until}
        and s.e > coalesce(k.last_before, '-infinity'::timestamptz)
      cross join lateral (
        select c.id, c.at from machine_counts c
        where c.machine_id = k.machine_id and c.kind = k.kind and c.at >= s.e order by c.at limit 1
      ) first
      where first.at >= ${from} and first.at < ${until}
    ),
    ideal as (
      select machine_id, array_agg(at order by at) as starts
      from unnest(${q.idealStarts.map((s) => s.machine_id)}::bigint[], ${q.idealStarts.map((s) => s.at)}::timestamptz[])
        as b (machine_id, at)
      group by machine_id
    )
    select c.machine_id::int as machine_id, c.kind,
      width_bucket(c.at, ${q.bucketStarts}::timestamptz[]) as bucket,
      coalesce(width_bucket(c.at, i.starts), 0) as ideal,
      (x.id is not null) as excluded,
      ${hour} as hour,
      sum(c.delta)::float8 as delta
    from machine_counts c
    left join left_out x on x.id = c.id
    left join ideal i on i.machine_id = c.machine_id
    where c.machine_id = any(${q.machineIds}::bigint[]) and c.at >= ${from} and c.at < ${until}
    group by 1, 2, 3, 4, 5, 6`.execute(tx);
  return rows.map(({ hour: at, ...cell }) => (at ? { ...cell, hour: at } : cell));
}

/** PASS, FAIL and NO_LIMIT test verdicts per machine, bucket and whether they fall in stale time. */
export async function verdictCells(tx: Tx, q: Omit<CellQuery, 'idealStarts'>): Promise<VerdictCell[]> {
  const { rows } = await sql<VerdictCell>`
    with ${stalePeriods(q)},
    ranges as (select machine_id, range_agg(tstzrange(s, e)) as ranges from stale group by machine_id)
    select t.machine_id::int as machine_id,
      width_bucket(t.measured_at, ${q.bucketStarts}::timestamptz[]) as bucket,
      coalesce(r.ranges @> t.measured_at, false) as excluded,
      (count(*) filter (where t.verdict = 'PASS'))::int as pass,
      (count(*) filter (where t.verdict = 'FAIL'))::int as fail,
      (count(*) filter (where t.verdict = 'NO_LIMIT'))::int as no_limit
    from test_results t
    left join ranges r on r.machine_id = t.machine_id
    where t.machine_id = any(${q.machineIds}::bigint[])
      and t.measured_at >= ${q.from}::timestamptz and t.measured_at < ${q.until}::timestamptz
    group by 1, 2, 3`.execute(tx);
  return rows;
}
