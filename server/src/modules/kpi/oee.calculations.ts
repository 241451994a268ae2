/**
 * OEE = availability × performance × quality (docs/kpis.md "OEE"), free of any database or transport.
 * Time comes as spans (planned windows, stale periods, stops); output comes as counter increases already
 * summed per bucket of time (`CountCell`, from SQL or from `aggregateCounts`).
 */
import { common, emptySums, nullBecause, ratio, REASONS, withOee } from './oee.factors.ts';
import { intersect, seconds, subtract, union, type Span } from './oee.intervals.ts';

export { REASONS } from './oee.factors.ts';

export type QualitySource = 'counters' | 'verdicts';

/** One piece of the period with one shift, one local day and one planned flag (see `oee.shifts.ts`). */
export interface Bucket extends Span {
  day: string;
  shifts: string[];
  planned: boolean;
}

/** The ideal cycle time in force over a span: the mounted tool's, else the machine's, else none. */
export interface IdealSegment extends Span {
  ideal_cycle_seconds: number | null;
  source: 'tool' | 'machine' | null;
  tool: { id: number; code: string } | null;
}

/** Counter increases of one machine and kind, summed per bucket, ideal segment and exclusion. */
export interface CountCell {
  machine_id: number;
  kind: 'cycle' | 'good' | 'reject';
  bucket: number;
  ideal: number;
  /** The increase covers time inside a stale period, so it is left out. */
  excluded: boolean;
  delta: number;
  /** Start of the local hour (drill-down only). */
  hour?: Date;
}

export interface VerdictCell {
  machine_id: number;
  bucket: number;
  excluded: boolean;
  pass: number;
  fail: number;
  no_limit: number;
}

export interface MachineTime {
  stale: Span[];
  plannedStops: Span[];
  unplannedStops: Span[];
}

export interface MachineOutput {
  ideal: IdealSegment[];
  counts: CountCell[];
  verdicts: VerdictCell[];
  /** Which counters the machine has ever reported (before the period's effective end). */
  counters: { cycle: boolean; good: boolean; reject: boolean };
  qualitySource: QualitySource | null;
}

export interface OeeReasons {
  oee: string | null;
  availability: string | null;
  performance: string | null;
  quality: string | null;
}

export interface OeeFigures {
  oee: number | null;
  availability: number | null;
  performance: number | null;
  quality: number | null;
  /** Why a figure is null (null when it is not). */
  reasons: OeeReasons;
  /** Shift-calendar time in the period (stale time included). */
  planned_seconds: number;
  /** Planned time inside stale-data periods: left out of everything. */
  excluded_seconds: number;
  /** Planned stops inside the remaining planned time. */
  planned_stop_seconds: number;
  /** Planned production time = planned − excluded − planned stops (availability's denominator). */
  production_seconds: number;
  unplanned_downtime_seconds: number;
  /** Run time = production − unplanned downtime (performance's denominator). */
  run_seconds: number;
  cycles: number;
  /** Σ ideal cycle time × cycles (performance's numerator). */
  ideal_seconds: number;
  cycles_without_ideal_time: number;
  /** Cycles whose count covers stale time, left out. */
  excluded_cycles: number;
  quality_source: QualitySource | 'mixed' | null;
  /** Good parts (good counter or PASS verdicts) and all parts judged (good + reject, PASS + FAIL). */
  good: number;
  total: number;
}

/** A part of planned time (the period, one shift, one day) and the buckets of output inside it. */
export interface View {
  spans: Span[];
  buckets: number[];
}

/** The view of planned spans `spans` (a union of whole buckets). */
export function viewOf(buckets: readonly Bucket[], spans: Span[]): View {
  const ids: number[] = [];
  buckets.forEach((bucket, id) => {
    if (bucket.planned && spans.some((s) => s.start <= bucket.start && bucket.start < s.end)) ids.push(id);
  });
  return { spans, buckets: ids };
}

/** A machine's output cells by bucket, so each view reads only its own buckets. */
export interface IndexedOutput extends Omit<MachineOutput, 'counts' | 'verdicts'> {
  counts: Map<number, CountCell[]>;
  verdicts: Map<number, VerdictCell[]>;
}

export function indexOutput(output: MachineOutput): IndexedOutput {
  const byBucket = <T extends { bucket: number }>(cells: readonly T[]) => {
    const map = new Map<number, T[]>();
    for (const cell of cells) map.set(cell.bucket, [...(map.get(cell.bucket) ?? []), cell]);
    return map;
  };
  return { ...output, counts: byBucket(output.counts), verdicts: byBucket(output.verdicts) };
}

/** One machine's figures over a view. */
export function machineFigures(time: MachineTime, output: IndexedOutput, view: View): OeeFigures {
  const viewSpans = view.spans;
  const stale = union(time.stale);
  const observed = subtract(viewSpans, stale);
  const plannedStops = union(time.plannedStops);
  const production = subtract(observed, plannedStops);
  const down = intersect(production, union(time.unplannedStops));
  const plannedSeconds = seconds(viewSpans);
  const productionSeconds = seconds(production);
  const unplannedSeconds = seconds(down);
  const runSeconds = productionSeconds - unplannedSeconds;

  const sums = { cycle: 0, good: 0, reject: 0, ideal: 0, noIdeal: 0, excludedCycles: 0 };
  const counts = view.buckets.flatMap((bucket) => output.counts.get(bucket) ?? []);
  for (const cell of counts) {
    if (cell.excluded) {
      if (cell.kind === 'cycle') sums.excludedCycles += cell.delta;
      continue;
    }
    sums[cell.kind] += cell.delta;
    if (cell.kind !== 'cycle') continue;
    const ideal = output.ideal[cell.ideal]?.ideal_cycle_seconds ?? null;
    if (ideal === null) sums.noIdeal += cell.delta;
    else sums.ideal += ideal * cell.delta;
  }
  const verdicts = { pass: 0, fail: 0 };
  for (const cell of view.buckets.flatMap((bucket) => output.verdicts.get(bucket) ?? [])) {
    if (cell.excluded) continue;
    verdicts.pass += cell.pass;
    verdicts.fail += cell.fail;
  }

  const availability = ratio(runSeconds, productionSeconds, () =>
    plannedSeconds <= 0
      ? REASONS.noPlannedTime
      : seconds(observed) <= 0
        ? REASONS.allStale
        : REASONS.allPlannedStops,
  );
  const performance =
    runSeconds <= 0
      ? nullBecause(REASONS.noRunTime)
      : !output.counters.cycle
        ? nullBecause(REASONS.noCycleCounter)
        : sums.noIdeal > 0
          ? nullBecause(REASONS.noIdealTime)
          : { value: sums.ideal / runSeconds, reason: null };
  const good = output.qualitySource === 'verdicts' ? verdicts.pass : sums.good;
  const total = output.qualitySource === 'verdicts' ? verdicts.pass + verdicts.fail : sums.good + sums.reject;
  const quality =
    output.qualitySource === null
      ? nullBecause(REASONS.noQualityData)
      : output.qualitySource === 'counters' && !output.counters.reject
        ? nullBecause(REASONS.noRejectCounter)
        : output.qualitySource === 'counters' && !output.counters.good
          ? nullBecause(REASONS.noGoodCounter)
          : ratio(good, total, () =>
              output.qualitySource === 'verdicts' ? REASONS.noVerdicts : REASONS.noPartsCounted,
            );

  return withOee(
    { availability, performance, quality },
    {
      planned_seconds: plannedSeconds,
      excluded_seconds: seconds(intersect(viewSpans, stale)),
      planned_stop_seconds: seconds(intersect(observed, plannedStops)),
      production_seconds: productionSeconds,
      unplanned_downtime_seconds: unplannedSeconds,
      run_seconds: runSeconds,
      cycles: sums.cycle,
      ideal_seconds: sums.ideal,
      cycles_without_ideal_time: sums.noIdeal,
      excluded_cycles: sums.excludedCycles,
      quality_source: output.qualitySource,
      good,
      total,
    },
  );
}

/**
 * A line, a site or a shift of several machines: every sum adds up; availability = Σ run ÷ Σ production;
 * performance = Σ ideal ÷ Σ run and quality = Σ good ÷ Σ total over the machines that have the factor
 * (the others are named in the notes by the caller).
 */
export function aggregateFigures(machines: readonly OeeFigures[]): OeeFigures {
  if (machines.length === 0) {
    const none = nullBecause(REASONS.noMachines);
    return withOee({ availability: none, performance: none, quality: none }, emptySums());
  }
  const total = emptySums();
  for (const m of machines) {
    total.planned_seconds += m.planned_seconds;
    total.excluded_seconds += m.excluded_seconds;
    total.planned_stop_seconds += m.planned_stop_seconds;
    total.production_seconds += m.production_seconds;
    total.unplanned_downtime_seconds += m.unplanned_downtime_seconds;
    total.run_seconds += m.run_seconds;
    total.cycles += m.cycles;
    total.ideal_seconds += m.ideal_seconds;
    total.cycles_without_ideal_time += m.cycles_without_ideal_time;
    total.excluded_cycles += m.excluded_cycles;
  }
  const withPerformance = machines.filter((m) => m.performance !== null);
  const withQuality = machines.filter((m) => m.quality !== null);
  const sources = new Set(withQuality.map((m) => m.quality_source));
  total.good = withQuality.reduce((sum, m) => sum + m.good, 0);
  total.total = withQuality.reduce((sum, m) => sum + m.total, 0);
  total.quality_source = sources.size > 1 ? 'mixed' : (withQuality[0]?.quality_source ?? null);

  const availability = ratio(total.run_seconds, total.production_seconds, () =>
    common(machines.map((m) => m.reasons.availability)),
  );
  const performance =
    withPerformance.length === 0
      ? nullBecause(common(machines.map((m) => m.reasons.performance)))
      : ratio(
          withPerformance.reduce((sum, m) => sum + m.ideal_seconds, 0),
          withPerformance.reduce((sum, m) => sum + m.run_seconds, 0),
          () => REASONS.noRunTime,
        );
  const quality =
    withQuality.length === 0
      ? nullBecause(common(machines.map((m) => m.reasons.quality)))
      : ratio(total.good, total.total, () => REASONS.noPartsCounted);
  return withOee({ availability, performance, quality }, total);
}
