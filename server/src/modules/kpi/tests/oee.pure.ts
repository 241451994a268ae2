/**
 * The pure OEE pipeline for tests: from plain stops, stale periods, mountings and counter values to
 * figures, the way `oee.load.ts` does it with SQL (counter deltas follow the signal recorder's rule).
 */
import {
  indexOutput,
  type Bucket,
  type MachineOutput,
  type MachineTime,
  type QualitySource,
  type VerdictCell,
} from '../oee.calculations.ts';
import { spanOf, type Span } from '../oee.intervals.ts';
import { aggregateCounts, bucketIndex, idealSegments, type CountRow } from '../oee.output.ts';
import { buildBuckets, namedWindows, plannedSpans, type SiteCalendar } from '../oee.shifts.ts';

export interface PureMachine {
  id: number;
  ideal_cycle_seconds: number | null;
  tools?: readonly { code: string; ideal: number | null; mounted: Date; removed: Date | null }[];
  stale?: readonly { start: Date; end: Date | null }[];
  stops?: readonly { start: Date; end: Date | null; planned: boolean }[];
  /** Counter values per kind, in time order, as the machine reports them (before the period too). */
  values?: Partial<Record<'cycle' | 'good' | 'reject', readonly (readonly [Date, number])[]>>;
  verdicts?: readonly { at: Date; verdict: 'PASS' | 'FAIL' | 'NO_LIMIT' }[];
}

/** The signal recorder's rule: the first value counts 0, a lower one is a reset (counts itself). */
export function countRows(
  machineId: number,
  kind: CountRow['kind'],
  values: readonly (readonly [Date, number])[],
) {
  return values.map(([at, value], i): CountRow => {
    const previous = values[i - 1];
    const delta = previous === undefined ? 0 : value < previous[1] ? value : value - previous[1];
    return { machine_id: machineId, kind, at, delta, previous_at: previous?.[0] ?? null };
  });
}

export function pureOee(input: {
  calendar: SiteCalendar;
  period: { from: Date; to: Date };
  now: Date;
  machines: readonly PureMachine[];
}) {
  const until = Math.max(
    input.period.from.getTime(),
    Math.min(input.period.to.getTime(), input.now.getTime()),
  );
  const span: Span = { start: input.period.from.getTime(), end: until };
  const named = namedWindows(input.calendar, span);
  const planned = plannedSpans(named, span);
  const buckets: Bucket[] = buildBuckets(span, named, input.calendar.time_zone);
  const bucketStarts = buckets.slice(1).map((b) => b.start);
  const inPeriod = (at: Date) => at.getTime() >= span.start && at.getTime() < span.end;

  const machines = input.machines.map((m) => {
    const ideal = idealSegments(
      m.ideal_cycle_seconds,
      (m.tools ?? []).map((t, i) => ({
        tool_id: i + 1,
        tool_code: t.code,
        mounted_at: t.mounted,
        removed_at: t.removed,
        ideal_cycle_seconds: t.ideal,
      })),
      span,
    );
    const stale = (m.stale ?? []).map((s) => spanOf(s.start, s.end, input.now));
    const rows = (['cycle', 'good', 'reject'] as const).flatMap((kind) =>
      countRows(m.id, kind, m.values?.[kind] ?? []).filter((row) => inPeriod(row.at)),
    );
    const counts = aggregateCounts(rows, {
      bucketStarts,
      idealStarts: new Map([[m.id, ideal.slice(1).map((s) => s.start)]]),
      stale: new Map([[m.id, stale]]),
    });
    const verdicts: VerdictCell[] = (m.verdicts ?? [])
      .filter((v) => inPeriod(v.at))
      .map((v) => ({
        machine_id: m.id,
        bucket: bucketIndex(bucketStarts, v.at.getTime()),
        excluded: stale.some((s) => s.start <= v.at.getTime() && v.at.getTime() < s.end),
        pass: v.verdict === 'PASS' ? 1 : 0,
        fail: v.verdict === 'FAIL' ? 1 : 0,
        no_limit: v.verdict === 'NO_LIMIT' ? 1 : 0,
      }));
    const ever = (kind: 'cycle' | 'good' | 'reject') =>
      (m.values?.[kind] ?? []).some(([at]) => at.getTime() < until);
    const qualityCounts = rows.some((row) => row.kind !== 'cycle');
    const judged = (m.verdicts ?? []).some((v) => inPeriod(v.at) && v.verdict !== 'NO_LIMIT');
    const qualitySource: QualitySource | null = qualityCounts ? 'counters' : judged ? 'verdicts' : null;
    const output: MachineOutput = {
      ideal,
      counts,
      verdicts,
      counters: { cycle: ever('cycle'), good: ever('good'), reject: ever('reject') },
      qualitySource,
    };
    const time: MachineTime = {
      stale,
      plannedStops: (m.stops ?? []).filter((s) => s.planned).map((s) => spanOf(s.start, s.end, input.now)),
      unplannedStops: (m.stops ?? []).filter((s) => !s.planned).map((s) => spanOf(s.start, s.end, input.now)),
    };
    return { id: m.id, time, output: indexOutput(output), ideal };
  });
  return { span, named, planned, buckets, machines };
}
