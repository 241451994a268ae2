import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { ReadingRow, StoredPair } from './reading.types.ts';

/** Creates the month partition of machine_readings that holds `at` (idempotent); answers its name. */
export async function ensurePartition(tx: Tx, at: Date): Promise<string> {
  const result = await sql<{ name: string }>`
    select hom_ensure_machine_readings_partition(${at}::timestamptz) as name`.execute(tx);
  return result.rows[0]?.name ?? '';
}

/** Creates the month partitions from this month to `monthsAhead` ahead (idempotent). */
export async function ensurePartitionsAhead(tx: Tx, monthsAhead: number): Promise<string[]> {
  const result = await sql<{ name: string }>`
    select hom_ensure_machine_readings_partition(now() + make_interval(months => m)) as name
    from generate_series(0, ${monthsAhead}) as m`.execute(tx);
  return result.rows.map((row) => row.name);
}

/** Adds a bucket's figures (the columns of `from`) into a rollup table's row of the same key. */
function upsertInto(table: 'machine_readings_1m' | 'machine_readings_1h') {
  return sql`insert into ${sql.table(table)} as r
      (site_id, machine_id, reading_type, bucket, n, sum, min, max, first_at, last_value, last_at, unit)`;
}
const addToBucket = sql`on conflict (machine_id, reading_type, bucket) do update set
      n = r.n + excluded.n,
      sum = r.sum + excluded.sum,
      min = least(r.min, excluded.min),
      max = greatest(r.max, excluded.max),
      first_at = least(r.first_at, excluded.first_at),
      last_value = case when excluded.last_at >= r.last_at then excluded.last_value else r.last_value end,
      unit = case when excluded.last_at >= r.last_at then coalesce(excluded.unit, r.unit) else r.unit end,
      last_at = greatest(r.last_at, excluded.last_at)`;

/**
 * Stores a batch in one statement: every row through unnest, a reading already stored (same machine,
 * type and instant, also twice within the batch) skipped, and only the rows actually stored counted
 * into the per-minute rollup, the per-hour one from those minutes (the rows are aggregated once).
 * Upserts go in key order, so concurrent writers lock the same buckets in the same order. Answers, per
 * machine and type, what was stored.
 */
export async function insertBatch(tx: Tx, rows: readonly ReadingRow[]): Promise<StoredPair[]> {
  if (rows.length === 0) return [];
  const columns = arrayLiterals(rows);
  const result = await sql<StoredPair>`
    with ins as (
      insert into machine_readings (site_id, machine_id, reading_type, value, unit, recorded_at)
      select * from unnest(${columns.site_id}::bigint[], ${columns.machine_id}::bigint[],
        ${columns.reading_type}::text[], ${columns.value}::float8[], ${columns.unit}::text[],
        ${columns.recorded_at}::timestamptz[])
      on conflict (machine_id, reading_type, recorded_at) do nothing
      returning site_id, machine_id, reading_type, value, unit, recorded_at
    ), m as (
      select site_id, machine_id, reading_type, date_trunc('minute', recorded_at, 'UTC') as bucket,
        count(*) as n, sum(value) as sum, min(value) as min, max(value) as max, min(recorded_at) as first_at,
        (array_agg(value order by recorded_at desc))[1] as last_value, max(recorded_at) as last_at,
        (array_agg(unit order by recorded_at desc))[1] as unit
      from ins
      group by site_id, machine_id, reading_type, date_trunc('minute', recorded_at, 'UTC')
    ), minute as (
      ${upsertInto('machine_readings_1m')}
      select * from m order by machine_id, reading_type, bucket
      ${addToBucket}
    ), hour as (
      ${upsertInto('machine_readings_1h')}
      select site_id, machine_id, reading_type, date_trunc('hour', bucket, 'UTC'), sum(n), sum(sum), min(min),
        max(max), min(first_at), (array_agg(last_value order by last_at desc))[1], max(last_at),
        (array_agg(unit order by last_at desc))[1]
      from m
      group by site_id, machine_id, reading_type, date_trunc('hour', bucket, 'UTC')
      order by machine_id, reading_type, date_trunc('hour', bucket, 'UTC')
      ${addToBucket}
    )
    select site_id, machine_id, reading_type, sum(n)::int as n, min(min) as min, max(max) as max,
      min(first_at) as first_at, max(last_at) as last_at
    from m
    group by site_id, machine_id, reading_type`.execute(tx);
  return result.rows;
}

/** A text for PostgreSQL's array input: `{"a","b",NULL}`; `"` and `\` escaped. */
const quoted = (text: string | null) =>
  text === null ? 'NULL' : `"${/["\\]/.test(text) ? text.replace(/["\\]/g, '\\$&') : text}"`;

/**
 * The batch's columns as array literals, built in one pass: node-postgres's generic array
 * serialization escapes element by element and formats dates in local time, a tenth of the ingest's
 * CPU at tens of thousands of readings a second (docs/performance.md "MQTT").
 */
function arrayLiterals(rows: readonly ReadingRow[]) {
  const sites: number[] = [];
  const machines: number[] = [];
  const types: string[] = [];
  const values: number[] = [];
  const units: string[] = [];
  const times: string[] = [];
  for (const row of rows) {
    sites.push(row.site_id);
    machines.push(row.machine_id);
    types.push(quoted(row.reading_type));
    values.push(row.value);
    units.push(quoted(row.unit));
    times.push(row.recorded_at.toISOString());
  }
  const list = (items: readonly (number | string)[]) => `{${items.join(',')}}`;
  return {
    site_id: list(sites),
    machine_id: list(machines),
    reading_type: list(types),
    value: list(values),
    unit: list(units),
    recorded_at: list(times),
  };
}

const storedColumns = sql`r.id, r.machine_id, r.reading_type, r.value, r.unit, r.recorded_at as timestamp, r.received_at`;

export interface StoredReading {
  id: number;
  machine_id: number;
  reading_type: string;
  value: number;
  unit: string | null;
  timestamp: Date;
  received_at: Date;
}

/** The stored reading for each key, in the keys' order (a key not stored is left out). */
export async function readingsByKey(
  tx: Tx,
  keys: readonly { machine_id: number; reading_type: string; recorded_at: Date }[],
): Promise<StoredReading[]> {
  if (keys.length === 0) return [];
  const result = await sql<StoredReading>`
    select ${storedColumns}
    from unnest(${keys.map((k) => k.machine_id)}::bigint[], ${keys.map((k) => k.reading_type)}::text[],
      ${keys.map((k) => k.recorded_at)}::timestamptz[]) with ordinality as k (machine_id, reading_type, recorded_at, ord)
    join machine_readings r
      on r.machine_id = k.machine_id and r.reading_type = k.reading_type and r.recorded_at = k.recorded_at
    order by k.ord`.execute(tx);
  return result.rows;
}

export interface RawFilter {
  reading_type?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/** A machine's raw readings, newest first. */
export function listReadings(tx: Tx, machineId: number, filter: RawFilter): Promise<StoredReading[]> {
  let query = tx
    .selectFrom('machine_readings')
    .select(['id', 'machine_id', 'reading_type', 'value', 'unit', 'recorded_at as timestamp', 'received_at'])
    .where('machine_id', '=', machineId)
    .orderBy('recorded_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.reading_type) query = query.where('reading_type', '=', filter.reading_type.toLowerCase());
  if (filter.from) query = query.where('recorded_at', '>=', filter.from);
  if (filter.to) query = query.where('recorded_at', '<', filter.to);
  return query.execute();
}

/** Machines whose code matches, in the sites the transaction sees. */
export function machinesByCode(tx: Tx, code: string): Promise<{ id: number; site_id: number }[]> {
  return tx
    .selectFrom('machines')
    .select(['id', 'site_id'])
    .where((eb) => eb(eb.fn('lower', ['code']), '=', code.toLowerCase()))
    .limit(2)
    .execute();
}

/** The machine with this id, in the sites the transaction sees. */
export function machineById(tx: Tx, id: number): Promise<{ id: number; site_id: number } | undefined> {
  return tx.selectFrom('machines').select(['id', 'site_id']).where('id', '=', id).executeTakeFirst();
}
