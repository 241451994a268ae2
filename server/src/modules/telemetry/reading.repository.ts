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

/**
 * One rollup upsert: the newly stored rows of `ins` counted into the buckets of `width` ('minute' or
 * 'hour', in UTC). In key order, so concurrent writers lock the same buckets in the same order.
 */
function rollup(table: 'machine_readings_1m' | 'machine_readings_1h', width: 'minute' | 'hour') {
  const bucket = sql`date_trunc(${sql.lit(width)}, recorded_at, 'UTC')`;
  return sql`insert into ${sql.table(table)} as r
      (site_id, machine_id, reading_type, bucket, n, sum, min, max, first_at, last_value, last_at, unit)
    select site_id, machine_id, reading_type, ${bucket}, count(*), sum(value), min(value), max(value), min(recorded_at),
      (array_agg(value order by recorded_at desc))[1], max(recorded_at), (array_agg(unit order by recorded_at desc))[1]
    from ins
    group by site_id, machine_id, reading_type, ${bucket}
    order by machine_id, reading_type, ${bucket}
    on conflict (machine_id, reading_type, bucket) do update set
      n = r.n + excluded.n,
      sum = r.sum + excluded.sum,
      min = least(r.min, excluded.min),
      max = greatest(r.max, excluded.max),
      first_at = least(r.first_at, excluded.first_at),
      last_value = case when excluded.last_at >= r.last_at then excluded.last_value else r.last_value end,
      unit = case when excluded.last_at >= r.last_at then coalesce(excluded.unit, r.unit) else r.unit end,
      last_at = greatest(r.last_at, excluded.last_at)`;
}

/**
 * Stores a batch in one statement: every row through unnest, a reading already stored (same machine,
 * type and instant, also twice within the batch) skipped, and only the rows actually stored counted
 * into the per-minute and per-hour rollups. Answers, per machine and type, what was stored.
 */
export async function insertBatch(tx: Tx, rows: readonly ReadingRow[]): Promise<StoredPair[]> {
  if (rows.length === 0) return [];
  const column = <K extends keyof ReadingRow>(key: K) => rows.map((row) => row[key]);
  const result = await sql<StoredPair>`
    with ins as (
      insert into machine_readings (site_id, machine_id, reading_type, value, unit, recorded_at)
      select * from unnest(${column('site_id')}::bigint[], ${column('machine_id')}::bigint[],
        ${column('reading_type')}::text[], ${column('value')}::float8[], ${column('unit')}::text[],
        ${column('recorded_at')}::timestamptz[])
      on conflict (machine_id, reading_type, recorded_at) do nothing
      returning site_id, machine_id, reading_type, value, unit, recorded_at
    ), minute as (${rollup('machine_readings_1m', 'minute')}
    ), hour as (${rollup('machine_readings_1h', 'hour')})
    select site_id, machine_id, reading_type, count(*)::int as n, min(value) as min, max(value) as max,
      min(recorded_at) as first_at, max(recorded_at) as last_at
    from ins
    group by site_id, machine_id, reading_type`.execute(tx);
  return result.rows;
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
