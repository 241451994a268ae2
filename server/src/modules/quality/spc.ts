/**
 * Individuals / moving-range (I-MR) control chart and process capability, the textbook way:
 * MR_i = |x_i − x_{i−1}|; σ̂ = MR̄ ÷ d2 with d2 = 1.128 (subgroups of 2);
 * I chart: centre x̄, limits x̄ ± 3σ̂; MR chart: centre MR̄, upper limit D4 × MR̄ with D4 = 3.267;
 * Cp = (USL − LSL) ÷ 6σ̂; Cpk = min(USL − x̄, x̄ − LSL) ÷ 3σ̂ (one-sided with one limit).
 */
export const D2 = 1.128;
export const D4 = 3.267;

export interface SpcInput {
  values: readonly number[];
  lower: number | null;
  upper: number | null;
}

export interface SpcSummary {
  n: number;
  mean: number | null;
  mr_bar: number | null;
  sigma: number | null;
  ucl: number | null;
  lcl: number | null;
  mr_ucl: number | null;
  cp: number | null;
  cpk: number | null;
  /** Why capability is null: too_few_points, no_limits, no_variation. */
  reason: string | null;
}

const round = (value: number) => Math.round(value * 1e6) / 1e6;

export function movingRanges(values: readonly number[]): (number | null)[] {
  return values.map((value, index) => {
    const previous = values[index - 1];
    return index === 0 || previous === undefined ? null : Math.abs(value - previous);
  });
}

export function spcSummary({ values, lower, upper }: SpcInput): SpcSummary {
  const n = values.length;
  const empty: SpcSummary = {
    n,
    mean: null,
    mr_bar: null,
    sigma: null,
    ucl: null,
    lcl: null,
    mr_ucl: null,
    cp: null,
    cpk: null,
    reason: 'too_few_points',
  };
  if (n < 2) return n === 1 ? { ...empty, mean: values[0] ?? null } : empty;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  const ranges = movingRanges(values).filter((r): r is number => r !== null);
  const mrBar = ranges.reduce((sum, r) => sum + r, 0) / ranges.length;
  const sigma = mrBar / D2;
  const result: SpcSummary = {
    n,
    mean: round(mean),
    mr_bar: round(mrBar),
    sigma: round(sigma),
    ucl: round(mean + 3 * sigma),
    lcl: round(mean - 3 * sigma),
    mr_ucl: round(D4 * mrBar),
    cp: null,
    cpk: null,
    reason: null,
  };
  if (lower === null && upper === null) return { ...result, reason: 'no_limits' };
  if (sigma === 0) return { ...result, reason: 'no_variation' };
  const sides = [
    upper === null ? null : (upper - mean) / (3 * sigma),
    lower === null ? null : (mean - lower) / (3 * sigma),
  ];
  const known = sides.filter((s): s is number => s !== null);
  result.cpk = round(Math.min(...known));
  if (lower !== null && upper !== null) result.cp = round((upper - lower) / (6 * sigma));
  return result;
}
