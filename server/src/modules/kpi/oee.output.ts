/**
 * What a machine produced, as OEE reads it: which ideal cycle time was in force when (`idealSegments`),
 * and counter increases summed per bucket (`aggregateCounts`, the same sums `oee.repository.ts` makes in
 * SQL, so unit tests and the database share one rule).
 */
import type { CountCell, IdealSegment } from './oee.calculations.ts';
import type { Span } from './oee.intervals.ts';

/**
 * The ideal cycle time over [from, until) as segments: where tools with an ideal time are mounted, the
 * longest of theirs (a machine cycle is one shot of every mounted tool); elsewhere the machine's own.
 */
export function idealSegments(
  machineIdeal: number | null,
  mountings: readonly {
    tool_id: number;
    tool_code: string;
    mounted_at: Date;
    removed_at: Date | null;
    ideal_cycle_seconds: number | null;
  }[],
  period: Span,
): IdealSegment[] {
  const withIdeal = mountings.filter((m) => m.ideal_cycle_seconds !== null);
  const cuts = new Set<number>([period.start, period.end]);
  for (const m of withIdeal) {
    const start = m.mounted_at.getTime();
    const end = m.removed_at?.getTime() ?? Infinity;
    if (start > period.start && start < period.end) cuts.add(start);
    if (end > period.start && end < period.end) cuts.add(end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: IdealSegment[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const mounted = withIdeal.filter(
      (m) => m.mounted_at.getTime() <= start && (m.removed_at?.getTime() ?? Infinity) > start,
    );
    const slowest = mounted.reduce<(typeof mounted)[number] | undefined>(
      (best, m) => (!best || (m.ideal_cycle_seconds ?? 0) > (best.ideal_cycle_seconds ?? 0) ? m : best),
      undefined,
    );
    const next: IdealSegment = slowest
      ? {
          start,
          end,
          ideal_cycle_seconds: slowest.ideal_cycle_seconds,
          source: 'tool',
          tool: { id: slowest.tool_id, code: slowest.tool_code },
        }
      : {
          start,
          end,
          ideal_cycle_seconds: machineIdeal,
          source: machineIdeal === null ? null : 'machine',
          tool: null,
        };
    const last = segments.at(-1);
    if (last && last.ideal_cycle_seconds === next.ideal_cycle_seconds && last.tool?.id === next.tool?.id)
      last.end = end;
    else segments.push(next);
  }
  return segments;
}

/** A stored counter value and the instant of the value before it (null: the first ever). */
export interface CountRow {
  machine_id: number;
  kind: CountCell['kind'];
  at: Date;
  delta: number;
  previous_at: Date | null;
}

/** The number of thresholds at or before `at` (PostgreSQL's width_bucket over sorted thresholds). */
export function bucketIndex(thresholds: readonly number[], at: number): number {
  let low = 0;
  let high = thresholds.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((thresholds[mid] as number) <= at) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * An increase was made between the previous value and this one: when that time overlaps a stale
 * period, the cycles were made while HOM could not see the machine, and they are left out with that
 * time (the jump of the first value after a reconnect, too). A value read at the very instant a stale
 * period began was still seen. The first value ever (no previous) is left out when it lies inside one.
 */
export function coversStale(row: Pick<CountRow, 'at' | 'previous_at'>, stale: readonly Span[]): boolean {
  const at = row.at.getTime();
  const previous = row.previous_at?.getTime();
  return stale.some((s) =>
    previous === undefined ? s.start <= at && s.end > at : s.start < at && s.end > previous,
  );
}

/**
 * Sums increases per machine, kind, bucket, ideal segment and exclusion. `bucketStarts` are the starts
 * of all buckets but the first; `idealStarts` per machine likewise for its ideal segments.
 */
export function aggregateCounts(
  rows: readonly CountRow[],
  ctx: {
    bucketStarts: readonly number[];
    idealStarts: ReadonlyMap<number, readonly number[]>;
    stale: ReadonlyMap<number, readonly Span[]>;
  },
): CountCell[] {
  const cells = new Map<string, CountCell>();
  for (const row of rows) {
    const at = row.at.getTime();
    const cell: CountCell = {
      machine_id: row.machine_id,
      kind: row.kind,
      bucket: bucketIndex(ctx.bucketStarts, at),
      ideal: bucketIndex(ctx.idealStarts.get(row.machine_id) ?? [], at),
      excluded: coversStale(row, ctx.stale.get(row.machine_id) ?? []),
      delta: 0,
    };
    const key = `${cell.machine_id}:${cell.kind}:${cell.bucket}:${cell.ideal}:${cell.excluded}`;
    const existing = cells.get(key) ?? cell;
    existing.delta += row.delta;
    cells.set(key, existing);
  }
  return [...cells.values()];
}

const HOUR_MS = 3_600_000;

/**
 * The UTC hours whose counter values must be read one by one (`machine_count_hours` holds whole-hour
 * sums): the hours of the period's ends when they are not whole, and the hours that a bucket or ideal
 * segment starts inside of. Every other hour of the period lies wholly in one bucket and one segment.
 */
export function cutHours(period: Span, boundaries: readonly number[]): number[] {
  const hours = new Set<number>();
  const hourOf = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;
  if (period.end <= period.start) return [];
  if (period.start % HOUR_MS !== 0) hours.add(hourOf(period.start));
  if (period.end % HOUR_MS !== 0) hours.add(hourOf(period.end));
  for (const at of boundaries)
    if (at > period.start && at < period.end && at % HOUR_MS !== 0) hours.add(hourOf(at));
  return [...hours].sort((a, b) => a - b);
}
