/**
 * The KPI formulas of docs/kpis.md, free of any database or transport. Two inputs lead to one answer:
 * single downtime intervals (`aggregateIntervals`) or per-reason sums that SQL already clipped and added
 * (`kpi.repository.ts`); both become `DowntimeTotal[]`, and only `computeKpis` applies the formulas.
 */

export interface KpiPeriod {
  from: Date;
  to: Date;
}

/** A downtime reason as the KPIs see it: its category decides whether a stop is a failure. */
export interface KpiReason {
  code: string;
  name: string;
  name_ru: string | null;
  category_code: string;
  is_failure: boolean;
}

export interface DowntimeInterval {
  start: Date;
  /** null while the machine is still stopped: counted up to `now`. */
  end: Date | null;
  planned: boolean;
  /** null until someone explains the stop. */
  reason: KpiReason | null;
}

/** Clipped seconds and number of stops that share one reason and one planned flag. */
export interface DowntimeTotal {
  planned: boolean;
  reason: KpiReason | null;
  seconds: number;
  count: number;
}

export interface ParetoEntry {
  reason: Omit<KpiReason, 'is_failure'> | null;
  seconds: number;
  count: number;
  /** Of unplanned downtime, 0..1. */
  share: number;
  cumulative_share: number;
}

export interface KpiFigures {
  period: { from: Date; to: Date; effective_to: Date };
  planned_seconds: number;
  downtime: { total_seconds: number; count: number; planned_seconds: number; unplanned_seconds: number };
  failures: number;
  mttr_hours: number | null;
  mtbf_hours: number | null;
  availability: number | null;
  notes: string[];
  pareto: ParetoEntry[];
}

export const NOTES = {
  noFailures: 'no failures in the period',
  noPlannedTime: 'no planned production time in the period',
  notStarted: 'the period has not started yet',
  countedToNow: 'the period ends after now: it is counted up to now',
  unexplained: 'stops without a reason count as failures until someone gives one',
} as const;

const SECONDS_PER_HOUR = 3600;

/** min(to, now), never before `from`: time that has not happened yet is neither planned nor down. */
export function effectiveEnd(period: KpiPeriod, now: Date): Date {
  const end = Math.max(period.from.getTime(), Math.min(period.to.getTime(), now.getTime()));
  return new Date(end);
}

/** Seconds between `from` and the effective end. */
export function effectiveSeconds(period: KpiPeriod, now: Date): number {
  return (effectiveEnd(period, now).getTime() - period.from.getTime()) / 1000;
}

/**
 * Planned production time with every active machine planned around the clock (24/7). Shift calendars
 * will replace this function; `computeKpis` only takes the number.
 */
export function plannedSecondsAroundTheClock(activeMachines: number, period: KpiPeriod, now: Date): number {
  return activeMachines * effectiveSeconds(period, now);
}

/** min(end ?? now, effectiveEnd) − max(start, from) in seconds; null when the stop misses the period. */
export function clippedSeconds(interval: DowntimeInterval, period: KpiPeriod, now: Date): number | null {
  const start = Math.max(interval.start.getTime(), period.from.getTime());
  const end = Math.min((interval.end ?? now).getTime(), effectiveEnd(period, now).getTime());
  return end > start ? (end - start) / 1000 : null;
}

/** Stops that overlap the period, grouped by planned flag and reason (what the SQL does on the server). */
export function aggregateIntervals(
  intervals: DowntimeInterval[],
  period: KpiPeriod,
  now: Date,
): DowntimeTotal[] {
  const totals = new Map<string, DowntimeTotal>();
  for (const interval of intervals) {
    const seconds = clippedSeconds(interval, period, now);
    if (seconds === null) continue;
    const key = `${interval.planned}:${interval.reason?.code ?? ''}`;
    const total = totals.get(key) ?? {
      planned: interval.planned,
      reason: interval.reason,
      seconds: 0,
      count: 0,
    };
    total.seconds += seconds;
    total.count += 1;
    totals.set(key, total);
  }
  return [...totals.values()];
}

/** Unplanned stops whose reason's category is a failure, and unplanned stops with no reason yet. */
export function isFailure(total: Pick<DowntimeTotal, 'planned' | 'reason'>): boolean {
  return !total.planned && (total.reason === null || total.reason.is_failure);
}

export function computeKpis(input: {
  period: KpiPeriod;
  now: Date;
  plannedSeconds: number;
  totals: DowntimeTotal[];
}): KpiFigures {
  const { period, now, plannedSeconds, totals } = input;
  const sum = (rows: DowntimeTotal[], pick: (row: DowntimeTotal) => number) =>
    rows.reduce((acc, row) => acc + pick(row), 0);
  const unplannedRows = totals.filter((row) => !row.planned);
  const failureRows = totals.filter(isFailure);
  const totalSeconds = sum(totals, (row) => row.seconds);
  const unplannedSeconds = sum(unplannedRows, (row) => row.seconds);
  const failures = sum(failureRows, (row) => row.count);
  const failureSeconds = sum(failureRows, (row) => row.seconds);
  const uptimeSeconds = plannedSeconds - unplannedSeconds;

  const notes: string[] = [];
  if (period.from.getTime() >= now.getTime()) notes.push(NOTES.notStarted);
  else if (period.to.getTime() > now.getTime()) notes.push(NOTES.countedToNow);
  if (plannedSeconds <= 0) notes.push(NOTES.noPlannedTime);
  if (failures === 0) notes.push(NOTES.noFailures);
  if (unplannedRows.some((row) => row.reason === null)) notes.push(NOTES.unexplained);

  return {
    period: { from: period.from, to: period.to, effective_to: effectiveEnd(period, now) },
    planned_seconds: plannedSeconds,
    downtime: {
      total_seconds: totalSeconds,
      count: sum(totals, (row) => row.count),
      planned_seconds: totalSeconds - unplannedSeconds,
      unplanned_seconds: unplannedSeconds,
    },
    failures,
    mttr_hours: failures > 0 ? failureSeconds / failures / SECONDS_PER_HOUR : null,
    mtbf_hours: failures > 0 ? uptimeSeconds / failures / SECONDS_PER_HOUR : null,
    availability: plannedSeconds > 0 ? uptimeSeconds / plannedSeconds : null,
    notes,
    pareto: paretoOf(unplannedRows, unplannedSeconds),
  };
}

/** Unplanned downtime by reason, largest first; stops without a reason form one `reason: null` entry. */
export function paretoOf(unplannedRows: DowntimeTotal[], unplannedSeconds: number): ParetoEntry[] {
  const byReason = new Map<string | null, { reason: KpiReason | null; seconds: number; count: number }>();
  for (const row of unplannedRows) {
    const key = row.reason?.code ?? null;
    const entry = byReason.get(key) ?? { reason: row.reason, seconds: 0, count: 0 };
    entry.seconds += row.seconds;
    entry.count += row.count;
    byReason.set(key, entry);
  }
  const sorted = [...byReason.values()].sort(
    (a, b) =>
      b.seconds - a.seconds ||
      b.count - a.count ||
      (a.reason?.code ?? '\uffff').localeCompare(b.reason?.code ?? '\uffff'),
  );
  let cumulative = 0;
  return sorted.map(({ reason, seconds, count }) => {
    const share = unplannedSeconds > 0 ? seconds / unplannedSeconds : 0;
    cumulative += seconds;
    return {
      reason: reason && {
        code: reason.code,
        name: reason.name,
        name_ru: reason.name_ru,
        category_code: reason.category_code,
      },
      seconds,
      count,
      share,
      cumulative_share: unplannedSeconds > 0 ? cumulative / unplannedSeconds : 0,
    };
  });
}
