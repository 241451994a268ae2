import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { SeriesPoint } from './reading.dto.ts';

export interface SeriesRows {
  points: SeriesPoint[];
  unit: string | null;
  /** More raw readings lie in the range than were asked for (the newest are returned). */
  truncated: boolean;
}

type PointRow = SeriesPoint & { unit: string | null };

/** Buckets of one machine and type whose start lies in [from, to), oldest first (from rounded down to its bucket). */
export async function rollupSeries(
  tx: Tx,
  width: '1m' | '1h',
  machineId: number,
  readingType: string,
  from: Date,
  to: Date,
): Promise<SeriesRows> {
  const table = width === '1m' ? 'machine_readings_1m' : 'machine_readings_1h';
  const unit = width === '1m' ? 'minute' : 'hour';
  const result = await sql<PointRow>`
    select bucket as t, n::int as n, sum / n as avg, min, max, last_value as last, unit
    from ${sql.table(table)}
    where machine_id = ${machineId} and reading_type = ${readingType}
      and bucket >= date_trunc(${unit}, ${from}::timestamptz, 'UTC') and bucket < ${to}
    order by bucket`.execute(tx);
  return shape(result.rows, false);
}

/** Raw readings in [from, to), oldest first; at most `limit`, the newest when there are more. */
export async function rawSeries(
  tx: Tx,
  machineId: number,
  readingType: string,
  from: Date,
  to: Date,
  limit: number,
): Promise<SeriesRows> {
  const result = await sql<PointRow>`
    select recorded_at as t, 1 as n, value as avg, value as min, value as max, value as last, unit
    from machine_readings
    where machine_id = ${machineId} and reading_type = ${readingType} and recorded_at >= ${from} and recorded_at < ${to}
    order by recorded_at desc
    limit ${limit + 1}`.execute(tx);
  const truncated = result.rows.length > limit;
  return shape(result.rows.slice(0, limit).reverse(), truncated);
}

function shape(rows: PointRow[], truncated: boolean): SeriesRows {
  const unit = rows.at(-1)?.unit ?? null;
  return { points: rows.map(({ unit: _unit, ...point }) => point), unit, truncated };
}

export interface Sparkline {
  machine_id: number;
  reading_type: string;
  unit: string | null;
  last_value: number;
  last_at: Date;
  /** Per-minute averages since `since`, oldest first. */
  points: { t: Date; avg: number }[];
}

/**
 * Per machine, the (up to) `perMachine` reading types reported most recently since `since`, each with
 * its per-minute averages since then: what the live machine board draws as sparklines.
 */
export async function sparklines(
  tx: Tx,
  machineIds: readonly number[],
  since: Date,
  perMachine = 3,
): Promise<Sparkline[]> {
  if (machineIds.length === 0) return [];
  const result = await sql<{
    machine_id: number;
    reading_type: string;
    t: Date;
    avg: number;
    last_value: number;
    last_at: Date;
    unit: string | null;
  }>`
    with recent as (
      select machine_id, reading_type, max(last_at) as last_at
      from machine_readings_1m
      where machine_id = any(${[...machineIds]}::bigint[]) and bucket >= date_trunc('minute', ${since}::timestamptz, 'UTC')
      group by machine_id, reading_type
    ), ranked as (
      select machine_id, reading_type,
        row_number() over (partition by machine_id order by last_at desc, reading_type) as rank
      from recent
    )
    select b.machine_id, b.reading_type, b.bucket as t, b.sum / b.n as avg, b.last_value, b.last_at, b.unit
    from ranked r
    join machine_readings_1m b on b.machine_id = r.machine_id and b.reading_type = r.reading_type
      and b.bucket >= date_trunc('minute', ${since}::timestamptz, 'UTC')
    where r.rank <= ${perMachine}
    order by b.machine_id, r.rank, b.bucket`.execute(tx);
  const lines: Sparkline[] = [];
  for (const row of result.rows) {
    let line = lines.at(-1);
    if (!line || line.machine_id !== row.machine_id || line.reading_type !== row.reading_type) {
      line = {
        machine_id: row.machine_id,
        reading_type: row.reading_type,
        unit: null,
        last_value: 0,
        last_at: row.t,
        points: [],
      };
      lines.push(line);
    }
    line.points.push({ t: row.t, avg: row.avg });
    line.unit = row.unit ?? line.unit;
    line.last_value = row.last_value;
    line.last_at = row.last_at;
  }
  return lines;
}

export interface TypeSummary {
  reading_type: string;
  unit: string | null;
  last_value: number;
  last_at: Date;
}

/** Every reading type a machine ever reported, with its latest value (a skip scan over the hourly rollup). */
export async function typesOf(tx: Tx, machineId: number): Promise<TypeSummary[]> {
  const result = await sql<TypeSummary>`
    with recursive types (reading_type) as (
      (select reading_type from machine_readings_1h where machine_id = ${machineId} order by reading_type limit 1)
      union all
      select (select h.reading_type from machine_readings_1h h
              where h.machine_id = ${machineId} and h.reading_type > t.reading_type
              order by h.reading_type limit 1)
      from types t where t.reading_type is not null
    )
    select t.reading_type, l.unit, l.last_value, l.last_at
    from types t
    cross join lateral (
      select h.unit, h.last_value, h.last_at from machine_readings_1h h
      where h.machine_id = ${machineId} and h.reading_type = t.reading_type
      order by h.bucket desc limit 1
    ) l
    where t.reading_type is not null
    order by t.reading_type`.execute(tx);
  return result.rows;
}
