import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';
import type { AlertFilter, AlertOutput, ThresholdOutput } from './reading.dto.ts';

export type AlertKind = 'high' | 'low';

export interface Limits {
  site_id: number;
  machine_id: number;
  reading_type: string;
  low: number | null;
  high: number | null;
}

const thresholdColumns = [
  'id',
  'site_id',
  'machine_id',
  'reading_type',
  'low',
  'high',
  'stale_after_seconds',
  'updated_by',
  'updated_at',
] as const;

/** Every threshold with a low or high limit (the checks keep them in memory for a few seconds). */
export function allLimits(tx: Tx): Promise<Limits[]> {
  return tx
    .selectFrom('reading_thresholds')
    .select(['site_id', 'machine_id', 'reading_type', 'low', 'high'])
    .where((eb) => eb.or([eb('low', 'is not', null), eb('high', 'is not', null)]))
    .execute();
}

export function thresholdsOf(tx: Tx, machineId: number): Promise<ThresholdOutput[]> {
  return tx
    .selectFrom('reading_thresholds')
    .select(thresholdColumns)
    .where('machine_id', '=', machineId)
    .execute();
}

export function findThreshold(
  tx: Tx,
  machineId: number,
  readingType: string,
): Promise<ThresholdOutput | undefined> {
  return tx
    .selectFrom('reading_thresholds')
    .select(thresholdColumns)
    .where('machine_id', '=', machineId)
    .where('reading_type', '=', readingType)
    .executeTakeFirst();
}

export function saveThreshold(
  tx: Tx,
  row: {
    site_id: number;
    machine_id: number;
    reading_type: string;
    low: number | null;
    high: number | null;
    stale_after_seconds: number | null;
    updated_by: number | null;
  },
): Promise<ThresholdOutput> {
  const { low, high, stale_after_seconds, updated_by } = row;
  return tx
    .insertInto('reading_thresholds')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['machine_id', 'reading_type']).doUpdateSet({ low, high, stale_after_seconds, updated_by }),
    )
    .returning(thresholdColumns)
    .executeTakeFirstOrThrow();
}

export async function deleteThreshold(tx: Tx, machineId: number, readingType: string): Promise<void> {
  await tx
    .deleteFrom('reading_thresholds')
    .where('machine_id', '=', machineId)
    .where('reading_type', '=', readingType)
    .execute();
}

/** Ends the open alerts of a machine and type (its limits changed or were removed). */
export async function closeAlertsOf(tx: Tx, machineId: number, readingType: string, at: Date): Promise<void> {
  await tx
    .updateTable('reading_alerts')
    .set({ closed_at: sql<Date>`greatest(opened_at, ${at}::timestamptz)` })
    .where('machine_id', '=', machineId)
    .where('reading_type', '=', readingType)
    .where('closed_at', 'is', null)
    .execute();
}

export interface PairNow {
  machine_id: number;
  reading_type: string;
  machine_code: string;
  /** The latest reading of the pair (by its own time, not by arrival). */
  value: number;
  at: Date;
  unit: string | null;
  open: { id: number; kind: AlertKind; peak_value: number; opened_at: Date }[];
}

/** For each machine × type: its latest reading and its open alerts. */
export async function pairsNow(
  tx: Tx,
  pairs: readonly { machine_id: number; reading_type: string }[],
): Promise<PairNow[]> {
  if (pairs.length === 0) return [];
  const result = await sql<PairNow>`
    select p.machine_id, p.reading_type, m.code as machine_code, r.value, r.recorded_at as at, r.unit,
      coalesce((select json_agg(json_build_object('id', a.id, 'kind', a.kind, 'peak_value', a.peak_value,
                  'opened_at', a.opened_at))
                from reading_alerts a
                where a.machine_id = p.machine_id and a.reading_type = p.reading_type and a.closed_at is null),
               '[]') as open
    from unnest(${pairs.map((p) => p.machine_id)}::bigint[], ${pairs.map((p) => p.reading_type)}::text[])
      as p (machine_id, reading_type)
    join machines m on m.id = p.machine_id
    cross join lateral (
      select value, recorded_at, unit from machine_readings x
      where x.machine_id = p.machine_id and x.reading_type = p.reading_type
      order by x.recorded_at desc limit 1
    ) r`.execute(tx);
  return result.rows.map((row) => ({
    ...row,
    open: row.open.map((alert) => ({ ...alert, opened_at: new Date(alert.opened_at) })),
  }));
}

const beyond = (kind: AlertKind, limit: number) =>
  kind === 'high' ? sql`value > ${limit}` : sql`value < ${limit}`;

/** The first reading beyond the limit at or after `from` (the one that opens an alert). */
export async function firstBeyond(
  tx: Tx,
  pair: { machine_id: number; reading_type: string },
  kind: AlertKind,
  limit: number,
  from: Date,
): Promise<{ value: number; at: Date } | undefined> {
  const result = await sql<{ value: number; at: Date }>`
    select value, recorded_at as at from machine_readings
    where machine_id = ${pair.machine_id} and reading_type = ${pair.reading_type} and recorded_at >= ${from}
      and ${beyond(kind, limit)}
    order by recorded_at limit 1`.execute(tx);
  return result.rows[0];
}

/** The first reading back within the limit after the last one beyond it (since `from`): when an alert ends. */
export async function backWithinSince(
  tx: Tx,
  pair: { machine_id: number; reading_type: string },
  kind: AlertKind,
  limit: number,
  from: Date,
): Promise<Date | null> {
  const result = await sql<{ at: Date | null }>`
    select min(recorded_at) as at from machine_readings
    where machine_id = ${pair.machine_id} and reading_type = ${pair.reading_type}
      and recorded_at > coalesce((select max(recorded_at) from machine_readings
                                  where machine_id = ${pair.machine_id} and reading_type = ${pair.reading_type}
                                    and recorded_at >= ${from} and ${beyond(kind, limit)}), ${from})`.execute(
    tx,
  );
  return result.rows[0]?.at ?? null;
}

/**
 * Opens an alert, or reopens the pair's last one of this kind when it closed less than `reopenWithin`
 * ago (a value wavering around its limit is one alert, not a notification each time). Answers the
 * alert and whether it is new.
 */
export async function openAlert(
  tx: Tx,
  row: {
    site_id: number;
    machine_id: number;
    reading_type: string;
    kind: AlertKind;
    threshold: number;
    first_value: number;
    peak_value: number;
    unit: string | null;
    opened_at: Date;
    closed_at: Date | null;
  },
  reopenWithinMs: number,
): Promise<{ id: number; created: boolean } | undefined> {
  const reopened = await sql<{ id: number }>`
    update reading_alerts a set closed_at = ${row.closed_at},
      peak_value = ${row.kind === 'high' ? sql`greatest` : sql`least`}(a.peak_value, ${row.peak_value}),
      threshold = ${row.threshold}
    where a.id = (select id from reading_alerts
                  where machine_id = ${row.machine_id} and reading_type = ${row.reading_type} and kind = ${row.kind}
                  order by opened_at desc limit 1)
      and a.closed_at is not null and a.closed_at >= ${new Date(row.opened_at.getTime() - reopenWithinMs)}::timestamptz
      and not exists (select 1 from reading_alerts o where o.machine_id = ${row.machine_id}
                      and o.reading_type = ${row.reading_type} and o.kind = ${row.kind} and o.closed_at is null)
    returning a.id`.execute(tx);
  const again = reopened.rows[0];
  if (again) return { id: again.id, created: false };
  const inserted = await sql<{ id: number }>`
    insert into reading_alerts (site_id, machine_id, reading_type, kind, threshold, first_value, peak_value, unit,
      opened_at, closed_at)
    values (${row.site_id}, ${row.machine_id}, ${row.reading_type}, ${row.kind}, ${row.threshold}, ${row.first_value},
      ${row.peak_value}, ${row.unit}, ${row.opened_at}, ${row.closed_at})
    on conflict (machine_id, reading_type, kind) where closed_at is null do nothing
    returning id`.execute(tx);
  const created = inserted.rows[0];
  return created ? { id: created.id, created: true } : undefined;
}

export async function updateAlert(
  tx: Tx,
  id: number,
  kind: AlertKind,
  change: { peak_value: number; closed_at: Date | null },
): Promise<void> {
  await sql`update reading_alerts
    set peak_value = ${kind === 'high' ? sql`greatest` : sql`least`}(peak_value, ${change.peak_value}),
      closed_at = ${change.closed_at === null ? sql`null` : sql`greatest(opened_at, ${change.closed_at}::timestamptz)`}
    where id = ${id}`.execute(tx);
}

export function listAlerts(tx: Tx, filter: AlertFilter): Promise<AlertOutput[]> {
  let query = tx
    .selectFrom('reading_alerts as a')
    .innerJoin('machines as m', 'm.id', 'a.machine_id')
    .select([
      'a.id',
      'a.site_id',
      'a.machine_id',
      'm.code as machine_code',
      'a.reading_type',
      sql<AlertKind>`a.kind`.as('kind'),
      'a.threshold',
      'a.first_value',
      'a.peak_value',
      'a.unit',
      'a.opened_at',
      'a.closed_at',
    ])
    .orderBy('a.opened_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(filter.limit);
  if (filter.site_id) query = query.where('a.site_id', '=', filter.site_id);
  if (filter.machine_id) query = query.where('a.machine_id', '=', filter.machine_id);
  if (filter.open === true) query = query.where('a.closed_at', 'is', null);
  if (filter.open === false) query = query.where('a.closed_at', 'is not', null);
  return query.execute();
}
