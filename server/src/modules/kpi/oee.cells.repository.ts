import { sql, type RawBuilder } from 'kysely';
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
 * Counter values that cover stale time (the SQL twin of `coversStale`). An increase is made between the
 * previous value and its own, so these are exactly: values read inside a stale period (after its start),
 * and the first value of each counter at or after its end. They are few, and found through the stale
 * periods and the index (per kind: the index leads with machine and kind). Stale periods that ended before a counter's last value before `from` cannot
 * reach into the period and are skipped.
 */
function leftOut(q: CellQuery) {
  const from = sql`${q.from}::timestamptz`;
  const until = sql`${q.until}::timestamptz`;
  return sql`${stalePeriods(q)},
    counters as (
      select m.id as machine_id, k.kind,
        (select p.at from machine_counts p where p.machine_id = m.id and p.kind = k.kind and p.at < ${from}
         order by p.at desc limit 1) as last_before
      from unnest(${q.machineIds}::bigint[]) as m (id)
      cross join (values ('cycle'), ('good'), ('reject')) as k (kind)
    ),
    left_out as (
      select inside.id from stale s
      cross join (values ('cycle'), ('good'), ('reject')) as k (kind)
      cross join lateral (
        select c.id from machine_counts c
        where c.machine_id = s.machine_id and c.kind = k.kind
          and c.at > greatest(s.s, ${from} - interval '1 microsecond') and c.at < least(s.e, ${until})
        offset 0 -- keeps the index probe per stale period (not flattened into a scan of every value)
      ) inside
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
    )`;
}

function cellsOf(q: CellQuery, source: RawBuilder<unknown>, hour: RawBuilder<unknown>) {
  return sql<CountCell & { hour: Date | null }>`
    select c.machine_id::int as machine_id, c.kind,
      width_bucket(c.at, ${q.bucketStarts}::timestamptz[]) as bucket,
      coalesce(width_bucket(c.at, i.starts), 0) as ideal,
      c.excluded, ${hour} as hour, sum(c.delta)::float8 as delta
    from ${source} c
    left join ideal i on i.machine_id = c.machine_id
    group by 1, 2, 3, 4, 5, 6`;
}

/**
 * Counter increases in the period, value by value, summed per machine, kind, bucket, ideal segment and
 * whether they cover stale time (the SQL twin of `aggregateCounts`); with `hourlyIn` also per local hour
 * (the drill-down).
 */
export async function countCells(tx: Tx, q: CellQuery): Promise<CountCell[]> {
  const hour = q.hourlyIn ? sql`date_trunc('hour', c.at, ${q.hourlyIn})` : sql`null::timestamptz`;
  const { rows } = await sql<CountCell & { hour: Date | null }>`
    with ${leftOut(q)},
    counted as (
      select c.machine_id, c.kind, c.at, c.delta, (x.id is not null) as excluded
      from machine_counts c left join left_out x on x.id = c.id
      where c.machine_id = any(${q.machineIds}::bigint[])
        and c.at >= ${q.from}::timestamptz and c.at < ${q.until}::timestamptz
    )
    ${cellsOf(q, sql`counted`, hour)}`.execute(tx);
  return rows.map(({ hour: at, ...cell }) => (at ? { ...cell, hour: at } : cell));
}

/**
 * The same sums as `countCells`, read from the hourly sums of `machine_count_hours` wherever an hour lies
 * wholly in one bucket and ideal segment: values are read one by one only in `cutHours` (the period's
 * partial ends and hours a boundary cuts) and where they cover stale time (moved from the hour's sum to
 * the left-out cell). Months of per-cycle counters cost one row per machine, kind and hour.
 */
export async function countCellsByHour(
  tx: Tx,
  q: CellQuery & { cutHours: readonly { machine_id: number; hour: Date }[] },
): Promise<CountCell[]> {
  const from = sql`${q.from}::timestamptz`;
  const until = sql`${q.until}::timestamptz`;
  const { rows } = await sql<CountCell & { hour: Date | null }>`
    with ${leftOut(q)},
    cut as (
      select * from unnest(${q.cutHours.map((c) => c.machine_id)}::bigint[], ${q.cutHours.map((c) => c.hour)}::timestamptz[])
        as d (machine_id, hour)
    ),
    single as (
      -- Values of cut hours, each judged by the rule itself (its previous value looked up by index):
      -- they are few, and a join with left_out would be planned as a scan of it per value.
      select c.machine_id, c.kind, c.at, c.delta,
        exists (
          select 1 from stale s where s.machine_id = c.machine_id and case
            when c.previous_at is null then s.s <= c.at and s.e > c.at
            else s.s < c.at and s.e > c.previous_at end
        ) as excluded
      from (
        select c.*, (
          select p.at from machine_counts p
          where p.machine_id = c.machine_id and p.kind = c.kind and p.at < c.at
          order by p.at desc limit 1
        ) as previous_at
        from cut d
        cross join (values ('cycle'), ('good'), ('reject')) as k (kind)
        cross join lateral (
          select c.machine_id, c.kind, c.at, c.delta from machine_counts c
          where c.machine_id = d.machine_id and c.kind = k.kind
            and c.at >= greatest(d.hour, ${from}) and c.at < least(d.hour + interval '1 hour', ${until})
          offset 0 -- keeps the index probe per hour
        ) c
      ) c
    ),
    stale_in_whole_hours as (
      select c.machine_id, c.kind, c.at, c.delta from left_out x join machine_counts c on c.id = x.id
      left join cut d on d.machine_id = c.machine_id and d.hour = date_trunc('hour', c.at, 'UTC')
      where d.machine_id is null
    ),
    counted as (
      select h.machine_id, h.kind, h.hour as at, h.delta, false as excluded from machine_count_hours h
      left join cut d on d.machine_id = h.machine_id and d.hour = h.hour
      where h.machine_id = any(${q.machineIds}::bigint[]) and h.hour >= ${from} and h.hour + interval '1 hour' <= ${until}
        and d.machine_id is null
      union all
      select machine_id, kind, at, -delta, false from stale_in_whole_hours
      union all
      select machine_id, kind, at, delta, true from stale_in_whole_hours
      union all
      select machine_id, kind, at, delta, excluded from single
    )
    ${cellsOf(q, sql`counted`, sql`null::timestamptz`)}`.execute(tx);
  return rows.map(({ hour: _hour, ...cell }) => cell);
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
