/**
 * The pieces every OEE figure is made of: a factor is a value or a reason why there is none, and OEE is
 * the product of the three (null, naming the first missing factor, when one is null).
 */
import type { OeeFigures } from './oee.calculations.ts';

export const REASONS = {
  noPlannedTime: 'no planned production time in the period',
  allStale: 'all planned time was excluded as stale data',
  allPlannedStops: 'planned stops filled the planned time',
  noRunTime: 'no run time (the machine was down all of its production time)',
  noCycleCounter: 'no cycle counter',
  noIdealTime: 'no ideal cycle time (neither the machine nor the mounted tool has one)',
  noRejectCounter: 'good counts but no reject counter',
  noGoodCounter: 'reject counts but no good counter',
  noPartsCounted: 'no parts counted',
  noQualityData: 'no good/reject counts or test verdicts',
  noVerdicts: 'no PASS/FAIL test verdicts',
  noMachines: 'no machines',
} as const;

export interface Factor {
  value: number | null;
  reason: string | null;
}

export type Sums = Omit<OeeFigures, 'oee' | 'availability' | 'performance' | 'quality' | 'reasons'>;

export function emptySums(): Sums {
  return {
    planned_seconds: 0,
    excluded_seconds: 0,
    planned_stop_seconds: 0,
    production_seconds: 0,
    unplanned_downtime_seconds: 0,
    run_seconds: 0,
    cycles: 0,
    ideal_seconds: 0,
    cycles_without_ideal_time: 0,
    excluded_cycles: 0,
    quality_source: null,
    good: 0,
    total: 0,
  };
}

export function nullBecause(reason: string): Factor {
  return { value: null, reason };
}

export function ratio(numerator: number, denominator: number, why: () => string): Factor {
  return denominator > 0 ? { value: numerator / denominator, reason: null } : nullBecause(why());
}

/** The reason most machines give (the first one on a tie), for an aggregate that is null. */
export function common(reasons: readonly (string | null)[]): string {
  const counts = new Map<string, number>();
  for (const reason of reasons) if (reason) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  let best: string = REASONS.noMachines;
  let most = 0;
  for (const [reason, count] of counts) if (count > most) [best, most] = [reason, count];
  return best;
}

export function withOee(
  factors: { availability: Factor; performance: Factor; quality: Factor },
  sums: Sums,
): OeeFigures {
  const { availability, performance, quality } = factors;
  const missing = (
    [
      ['availability', availability],
      ['performance', performance],
      ['quality', quality],
    ] as const
  ).find(([, factor]) => factor.value === null);
  return {
    oee:
      availability.value !== null && performance.value !== null && quality.value !== null
        ? availability.value * performance.value * quality.value
        : null,
    availability: availability.value,
    performance: performance.value,
    quality: quality.value,
    reasons: {
      oee: missing ? `${missing[0]}: ${missing[1].reason}` : null,
      availability: availability.reason,
      performance: performance.reason,
      quality: quality.reason,
    },
    ...sums,
  };
}
