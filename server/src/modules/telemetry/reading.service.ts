import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { machineNotFound } from '../plant/index.ts';
import type {
  ReadingFilter,
  ReadingInput,
  ReadingOutput,
  ReadingTypeOutput,
  SeriesInput,
  SeriesOutput,
} from './reading.dto.ts';
import { ambiguousMachine, invalidSeriesRange, invalidTime, seriesRangeTooLarge } from './reading.errors.ts';
import * as readings from './reading.repository.ts';
import { rawSeries, rollupSeries, typesOf } from './reading.series.repository.ts';
import { watchedPairs } from './reading.stale.repository.ts';
import type { ReadingWriter } from './reading.writer.ts';
import type { SeriesBucket } from './reading.types.ts';
import { thresholdsOf } from './threshold.repository.ts';

/** Clocks of machines and tablets drift: times up to this far ahead of the server are taken as "now". */
export const CLOCK_SKEW_MS = 120_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Per bucket width: the range asked for when none is given, and the longest range one request may cover. */
export const SERIES_LIMITS: Record<SeriesBucket, { defaultMs: number; maxMs: number; hint: string }> = {
  raw: { defaultMs: HOUR_MS, maxMs: DAY_MS, hint: 'raw readings cover at most 24 hours; ask for bucket=1m' },
  '1m': {
    defaultMs: 6 * HOUR_MS,
    maxMs: 7 * DAY_MS,
    hint: '1-minute buckets cover at most 7 days; ask for bucket=1h',
  },
  '1h': { defaultMs: 7 * DAY_MS, maxMs: 366 * DAY_MS, hint: '1-hour buckets cover at most 366 days' },
};
/** The most raw readings one series answers (the newest, with truncated: true). */
export const MAX_RAW_POINTS = 10_000;

/** A machine named in a path: a number is its id, anything else its code (within the caller's sites). */
export async function resolveMachine(tx: Tx, ref: string): Promise<{ id: number; site_id: number }> {
  if (/^[0-9]+$/.test(ref) && Number(ref) <= Number.MAX_SAFE_INTEGER) {
    const byId = await readings.machineById(tx, Number(ref));
    if (byId) return byId;
  }
  const byCode = await readings.machinesByCode(tx, ref);
  if (byCode.length > 1) {
    throw ambiguousMachine(`Several of your sites have a machine ${ref}; use its numeric id`);
  }
  const [machine] = byCode;
  if (!machine) throw machineNotFound(`No machine with id or code ${ref} on your sites`);
  return machine;
}

/** A time the client says something happened: never in the future (a little clock drift is forgiven). */
function pastOrNow(field: string, value: Date | undefined, now: Date): Date {
  if (!value) return now;
  if (value.getTime() > now.getTime() + CLOCK_SKEW_MS) {
    throw invalidTime(`${field} is in the future`, {
      errors: [{ field, message: 'must not be in the future' }],
    });
  }
  return value.getTime() > now.getTime() ? now : value;
}

/** The range of a series: [from, to), defaulted per bucket width and bounded (400 when too long). */
export function seriesRange(
  input: Pick<SeriesInput, 'bucket' | 'from' | 'to'>,
  now: Date,
): { from: Date; to: Date } {
  const limits = SERIES_LIMITS[input.bucket];
  const to = input.to ?? (input.from ? new Date(input.from.getTime() + limits.defaultMs) : now);
  const from = input.from ?? new Date(to.getTime() - limits.defaultMs);
  if (from >= to) {
    throw invalidSeriesRange('from must be before to', {
      errors: [{ field: 'from', message: 'must be before to' }],
    });
  }
  if (to.getTime() - from.getTime() > limits.maxMs) {
    throw seriesRangeTooLarge(`The range is too long: ${limits.hint}`, {
      errors: [{ field: 'to', message: limits.hint }],
      details: { bucket: input.bucket, max_seconds: limits.maxMs / 1000 },
    });
  }
  return { from, to };
}

/** Chart data of one machine and type: rollup buckets, or raw readings (bounded). */
export async function readingSeries(
  tx: Tx,
  input: { machine_id: number; reading_type: string; bucket: SeriesBucket; from: Date; to: Date },
): Promise<SeriesOutput> {
  const rows =
    input.bucket === 'raw'
      ? await rawSeries(tx, input.machine_id, input.reading_type, input.from, input.to, MAX_RAW_POINTS)
      : await rollupSeries(tx, input.bucket, input.machine_id, input.reading_type, input.from, input.to);
  return { ...input, unit: rows.unit, truncated: rows.truncated, points: rows.points };
}

/** Raw readings posted over HTTP (temperature, pressure, speed, …), series and the types a machine reports. */
export function createReadingService(deps: {
  db: Pick<Database, 'transaction'>;
  writer: Pick<ReadingWriter, 'writeIn' | 'committed'>;
  now?: () => Date;
}) {
  const { db, writer } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    /** Stores readings of one machine (all or none); answers the stored reading for each, a repeat included. */
    async record(
      request: RequestContext,
      machineRef: string,
      input: readonly ReadingInput[],
    ): Promise<ReadingOutput[]> {
      const ctx: AuthedContext = requirePermission(request, 'ingest:write');
      const { stored, pairs } = await db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        const current = now();
        const rows = input.map((reading, index) => ({
          site_id: machine.site_id,
          machine_id: machine.id,
          reading_type: reading.reading_type,
          value: reading.value,
          unit: reading.unit ?? null,
          recorded_at: pastOrNow(
            input.length > 1 ? `${index}.timestamp` : 'timestamp',
            reading.timestamp,
            current,
          ),
        }));
        const written = await writer.writeIn(tx, rows);
        return { stored: await readings.readingsByKey(tx, rows), pairs: written };
      });
      writer.committed(pairs);
      return stored;
    },

    list: (request: RequestContext, machineRef: string, filter: ReadingFilter): Promise<ReadingOutput[]> => {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) =>
        readings.listReadings(tx, (await resolveMachine(tx, machineRef)).id, filter),
      );
    },

    series(request: RequestContext, machineRef: string, input: SeriesInput): Promise<SeriesOutput> {
      const ctx = requirePermission(request, 'plant:read');
      const range = seriesRange(input, now());
      return db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        return readingSeries(tx, {
          machine_id: machine.id,
          reading_type: input.reading_type,
          bucket: input.bucket,
          ...range,
        });
      });
    },

    /** The types a machine reported, with the latest value, whether it is stale, and its limits. */
    types(request: RequestContext, machineRef: string): Promise<ReadingTypeOutput[]> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        const current = now();
        const types = await typesOf(tx, machine.id);
        const watched = await watchedPairs(tx, current, [machine.id]);
        const limits = await thresholdsOf(tx, machine.id);
        const staleLimit = new Map(watched.map((pair) => [pair.reading_type, pair.limit_seconds]));
        const limitOf = new Map(limits.map((row) => [row.reading_type, row]));
        return types.map((type) => {
          const after = staleLimit.get(type.reading_type) ?? null;
          const threshold = limitOf.get(type.reading_type);
          return {
            ...type,
            stale: after !== null && current.getTime() - type.last_at.getTime() > after * 1000,
            stale_after_seconds: after,
            low: threshold?.low ?? null,
            high: threshold?.high ?? null,
          };
        });
      });
    },
  };
}
export type ReadingService = ReturnType<typeof createReadingService>;
