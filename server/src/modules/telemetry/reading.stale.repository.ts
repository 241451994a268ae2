import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type {} from './telemetry.schema.ts';

/**
 * The default stale rule for a machine × type without a configured stale_after_seconds: it is watched
 * when it sent at least MIN_READINGS readings in the last LOOKBACK_HOURS, and is stale after FACTOR ×
 * its average interval over that time, but never sooner than MIN_SECONDS nor later than MAX_SECONDS.
 */
export const DEFAULT_STALE_RULE = {
  lookbackHours: 24,
  minReadings: 10,
  factor: 10,
  minSeconds: 900,
  maxSeconds: 86_400,
} as const;

export interface WatchedPair {
  site_id: number;
  machine_id: number;
  reading_type: string;
  last_at: Date | null;
  /** Seconds without a reading after which the pair is stale; null = not watched (0 is never stored here). */
  limit_seconds: number | null;
  configured: boolean;
}

/**
 * Every machine × type with a configured stale limit or recent readings, with its last reading and its
 * stale limit (configured, or the default rule). Pairs configured as never stale (0) are left out.
 */
export async function watchedPairs(
  tx: Tx,
  now: Date,
  machineIds?: readonly number[],
): Promise<WatchedPair[]> {
  const rule = DEFAULT_STALE_RULE;
  const since = new Date(now.getTime() - (rule.lookbackHours + 1) * 3_600_000);
  const only = machineIds ? sql`and machine_id = any(${[...machineIds]}::bigint[])` : sql``;
  const result = await sql<WatchedPair>`
    with recent as (
      select site_id, machine_id, reading_type, sum(n)::int as n, min(first_at) as first_at, max(last_at) as last_at
      from machine_readings_1h
      where bucket >= ${since} ${only}
      group by site_id, machine_id, reading_type
    ), configured as (
      select site_id, machine_id, reading_type, stale_after_seconds
      from reading_thresholds where stale_after_seconds is not null ${only}
    ), pairs as (
      select coalesce(c.site_id, r.site_id) as site_id, coalesce(c.machine_id, r.machine_id) as machine_id,
        coalesce(c.reading_type, r.reading_type) as reading_type, c.stale_after_seconds, r.n, r.first_at, r.last_at
      from configured c full join recent r on r.machine_id = c.machine_id and r.reading_type = c.reading_type
    )
    select p.site_id, p.machine_id, p.reading_type,
      coalesce(p.last_at, (select h.last_at from machine_readings_1h h
                           where h.machine_id = p.machine_id and h.reading_type = p.reading_type
                           order by h.bucket desc limit 1)) as last_at,
      case
        when p.stale_after_seconds is not null then p.stale_after_seconds
        when p.n >= ${rule.minReadings} then greatest(${rule.minSeconds}, least(${rule.maxSeconds},
          ceil(${rule.factor} * extract(epoch from (p.last_at - p.first_at)) / (p.n - 1))))::int
      end as limit_seconds,
      p.stale_after_seconds is not null as configured
    from pairs p
    where coalesce(p.stale_after_seconds, 1) > 0`.execute(tx);
  return result.rows;
}

/** Machines whose readings are stale now (an open stale period of source 'readings'), with its start. */
export function openStaleOfReadings(
  tx: Tx,
  machineIds?: readonly number[],
): Promise<{ machine_id: number; site_id: number; started_at: Date }[]> {
  let query = tx
    .selectFrom('machine_stale_periods')
    .select(['machine_id', 'site_id', 'started_at'])
    .where('source', '=', 'readings')
    .where('ended_at', 'is', null);
  if (machineIds) query = query.where('machine_id', '=', sql<number>`any(${[...machineIds]}::bigint[])`);
  return query.execute();
}

/** When the machine's last stale period of source 'readings' ended (null when none did). */
export async function lastStaleEnd(tx: Tx, machineId: number): Promise<Date | null> {
  const row = await tx
    .selectFrom('machine_stale_periods')
    .select((eb) => eb.fn.max('ended_at').as('ended_at'))
    .where('machine_id', '=', machineId)
    .where('source', '=', 'readings')
    .executeTakeFirst();
  return row?.ended_at ?? null;
}

/** The first reading of this machine and type recorded after `at` (null when none yet). */
export async function firstReadingAfter(
  tx: Tx,
  machineId: number,
  readingType: string,
  at: Date,
): Promise<Date | null> {
  const row = await tx
    .selectFrom('machine_readings')
    .select('recorded_at')
    .where('machine_id', '=', machineId)
    .where('reading_type', '=', readingType)
    .where('recorded_at', '>', at)
    .orderBy('recorded_at')
    .limit(1)
    .executeTakeFirst();
  return row?.recorded_at ?? null;
}
