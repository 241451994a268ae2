import type { IssueStatus, Metrics, StageStatus } from './production.dto.ts';
import { invalidIssueTransition, invalidStageTransition } from './production.errors.ts';

/** The stage state machine: planned → in_progress → done, nothing else. */
const STAGE_MOVES: Record<StageStatus, Partial<Record<StageAction, StageStatus>>> = {
  planned: { start: 'in_progress' },
  in_progress: { done: 'done' },
  done: {},
};
export type StageAction = 'start' | 'done';

export function allowedStageActions(status: StageStatus): StageAction[] {
  return Object.keys(STAGE_MOVES[status]) as StageAction[];
}

/** The status a stage moves to, or INVALID_STAGE_TRANSITION (400) naming the move and the allowed ones. */
export function nextStageStatus(stageId: number, current: StageStatus, action: StageAction): StageStatus {
  const next = STAGE_MOVES[current][action];
  if (next) return next;
  const allowed = allowedStageActions(current);
  const target = action === 'start' ? 'in_progress' : 'done';
  throw invalidStageTransition(
    `Stage ${stageId} is ${current}: ${current} → ${target} ("${action}") is not allowed; ` +
      (allowed.length > 0 ? `allowed now: ${allowed.join(', ')}` : 'it is finished, nothing more is allowed'),
    { details: { stage_id: stageId, from: current, to: target, action, allowed } },
  );
}

/** Issue lifecycle: open → acknowledged → resolved; resolving an open issue acknowledges it too. */
const ISSUE_MOVES: Record<IssueStatus, IssueStatus[]> = {
  open: ['acknowledged', 'resolved'],
  acknowledged: ['resolved'],
  resolved: [],
};

export function checkIssueTransition(issueId: number, from: IssueStatus, to: IssueStatus): void {
  if (ISSUE_MOVES[from].includes(to)) return;
  const allowed = ISSUE_MOVES[from];
  throw invalidIssueTransition(
    `Issue ${issueId} is ${from}: ${from} → ${to} is not allowed; ` +
      (allowed.length > 0 ? `allowed now: ${allowed.join(', ')}` : 'it is resolved, nothing more is allowed'),
    { details: { issue_id: issueId, from, to, allowed } },
  );
}

export interface TimeWindow {
  planned_start: Date | null;
  planned_end: Date | null;
  actual_start: Date | null;
  actual_end: Date | null;
}

const MINUTE_MS = 60_000;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** The unrounded durations behind each answer of metricsOf, so sums are not sums of rounded figures. */
const rawMinutes = new WeakMap<Metrics, { planned: number; actual: number }>();

/**
 * Delay, efficiency and on-time of one work order or stage (docs/kpis.md):
 * delay = actual − planned duration (minutes); efficiency % = planned ÷ actual × 100; on time = delay ≤ 0.
 * A figure that cannot be computed is null and `reason` says why.
 */
export function metricsOf(window: TimeWindow): Metrics {
  const { planned_start, planned_end, actual_start, actual_end } = window;
  const planned =
    planned_start && planned_end ? (planned_end.getTime() - planned_start.getTime()) / MINUTE_MS : null;
  const result: Metrics = {
    planned_minutes: planned === null ? null : round2(planned),
    actual_minutes: null,
    delay_minutes: null,
    efficiency_pct: null,
    on_time: null,
    reason: null,
  };
  if (!actual_start) return { ...result, reason: 'not_started' };
  if (!actual_end) return { ...result, reason: 'not_finished' };
  // Whole seconds: a stage started and finished in the same second has no measurable duration.
  const actual = Math.round((actual_end.getTime() - actual_start.getTime()) / 1000) / 60;
  result.actual_minutes = round2(actual);
  if (planned === null) return { ...result, reason: 'no_planned_window' };
  const delay = actual - planned;
  result.delay_minutes = round2(delay);
  result.on_time = delay <= 0;
  const measured = actual <= 0 ? { ...result, reason: 'zero_actual_duration' } : result;
  if (actual > 0) measured.efficiency_pct = round2((planned / actual) * 100);
  rawMinutes.set(measured, { planned, actual });
  return measured;
}

export interface MetricsSummary {
  finished: number;
  with_windows: number;
  on_time: number;
  on_time_pct: number | null;
  avg_delay_minutes: number | null;
  efficiency_pct: number | null;
}

/**
 * Sums finished items: on-time % = on-time items ÷ finished items with both windows; average delay over
 * the same items; efficiency % = Σ planned ÷ Σ actual × 100 over those with a measurable actual duration
 * (duration-weighted, so long orders weigh more). Sums use the unrounded durations.
 */
export function summarise(items: readonly Metrics[]): MetricsSummary {
  const finished = items.filter((m) => m.actual_minutes !== null);
  const judged = finished.filter((m) => m.on_time !== null);
  const onTime = judged.filter((m) => m.on_time).length;
  const raw = (m: Metrics) =>
    rawMinutes.get(m) ?? { planned: m.planned_minutes ?? 0, actual: m.actual_minutes ?? 0 };
  const measurable = judged.filter((m) => raw(m).actual > 0);
  const plannedSum = measurable.reduce((sum, m) => sum + raw(m).planned, 0);
  const actualSum = measurable.reduce((sum, m) => sum + raw(m).actual, 0);
  const delaySum = judged.reduce((sum, m) => sum + (raw(m).actual - raw(m).planned), 0);
  return {
    finished: finished.length,
    with_windows: judged.length,
    on_time: onTime,
    on_time_pct: judged.length > 0 ? round2((onTime / judged.length) * 100) : null,
    avg_delay_minutes: judged.length > 0 ? round2(delaySum / judged.length) : null,
    efficiency_pct: actualSum > 0 ? round2((plannedSum / actualSum) * 100) : null,
  };
}

export interface PlannedStep {
  stage_name: string;
  weight: number;
}

/** Spreads the order's planned window over its steps in proportion to their weights (whole seconds). */
export function spreadWindows(
  steps: readonly PlannedStep[],
  start: Date,
  end: Date,
): { stage_name: string; planned_start: Date; planned_end: Date }[] {
  const total = steps.reduce((sum, step) => sum + step.weight, 0);
  const span = end.getTime() - start.getTime();
  let cursor = start.getTime();
  let used = 0;
  return steps.map((step, index) => {
    used += step.weight;
    const stepEnd =
      index === steps.length - 1
        ? end.getTime()
        : start.getTime() + Math.round((span * used) / total / 1000) * 1000;
    const window = {
      stage_name: step.stage_name,
      planned_start: new Date(cursor),
      planned_end: new Date(stepEnd),
    };
    cursor = stepEnd;
    return window;
  });
}

/** Used when a site has no default route of its own. */
export const BUILT_IN_ROUTE: readonly PlannedStep[] = [
  { stage_name: 'moulding', weight: 1 },
  { stage_name: 'deburring', weight: 1 },
  { stage_name: 'assembly', weight: 1 },
  { stage_name: 'testing', weight: 1 },
  { stage_name: 'packing', weight: 1 },
];
