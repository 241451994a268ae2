/**
 * When a preventive-maintenance plan is due: pure functions, no database, so the rules are tested on
 * their own (tests/pm-due.test.ts) and the shots transaction, the daily job and the plan reads all
 * agree.
 *
 * A plan counts shots and/or days from the last time it was done. Its share used is the larger of
 * shots since ÷ every_shots and days since ÷ every_days. The states, in order:
 *   ok       share < warn_at_share
 *   warning  warn_at_share ≤ share < 1
 *   due      share ≥ 1
 *   overdue  past the interval by more than its grace: 10 % of every_shots shots, or 10 % of every_days
 *            days but never more than 7 days.
 * Each state is monotonic in shots and in days: more use never gives an earlier state.
 */

export const PM_STATES = ['ok', 'warning', 'due', 'overdue'] as const;
export type PmState = (typeof PM_STATES)[number];

/** Beyond the interval by this share of it, a plan is overdue. */
export const OVERDUE_SHARE = 0.1;
/** …but a day-based plan is overdue at most this many days after it came due. */
export const OVERDUE_MAX_GRACE_DAYS = 7;
export const DAY_MS = 86_400_000;

export interface PmInterval {
  every_shots: number | null;
  every_days: number | null;
  /** Share of the interval at which the plan warns, 0.5 … 1. */
  warn_at_share: number;
}

export interface PmUsage {
  /** Shots of the tool since the plan was last done (never negative). */
  shots_since: number;
  /** Days since the plan was last done, fractional. */
  days_since: number;
}

export interface PmEvaluation {
  state: PmState;
  /** The larger of the shots share and the days share (1 = due). */
  share: number;
  shots_share: number | null;
  days_share: number | null;
  /** Which interval decides the state. */
  driver: 'shots' | 'days';
}

export const stateRank = (state: PmState): number => PM_STATES.indexOf(state);

/** Days of grace after a day-based plan came due before it is overdue. */
export function graceDays(everyDays: number): number {
  return Math.min(everyDays * OVERDUE_SHARE, OVERDUE_MAX_GRACE_DAYS);
}

export function evaluatePm(interval: PmInterval, usage: PmUsage): PmEvaluation {
  const shots = Math.max(0, usage.shots_since);
  const days = Math.max(0, usage.days_since);
  const shotsShare = interval.every_shots ? shots / interval.every_shots : null;
  const daysShare = interval.every_days ? days / interval.every_days : null;
  const share = Math.max(shotsShare ?? 0, daysShare ?? 0);
  const driver = (shotsShare ?? -1) >= (daysShare ?? -1) ? 'shots' : 'days';
  const overdue =
    (interval.every_shots !== null && shots >= interval.every_shots * (1 + OVERDUE_SHARE)) ||
    (interval.every_days !== null && days >= interval.every_days + graceDays(interval.every_days));
  const state: PmState = overdue
    ? 'overdue'
    : share >= 1
      ? 'due'
      : share >= interval.warn_at_share
        ? 'warning'
        : 'ok';
  return { state, share, shots_share: shotsShare, days_share: daysShare, driver };
}

/**
 * When the plan is expected to come due (share 1), from the days interval and, for shots, the tool's
 * recent rate. Null when neither tells (a shots-only plan on a tool that does not run).
 */
export function predictDueAt(
  interval: PmInterval,
  usage: PmUsage,
  shotsPerDay: number | null,
  now: Date,
): Date | null {
  const candidates: number[] = [];
  if (interval.every_days) candidates.push(interval.every_days - usage.days_since);
  if (interval.every_shots) {
    const left = interval.every_shots - usage.shots_since;
    if (left <= 0) candidates.push(0);
    else if (shotsPerDay && shotsPerDay > 0) candidates.push(left / shotsPerDay);
  }
  if (candidates.length === 0) return null;
  return new Date(now.getTime() + Math.min(...candidates) * DAY_MS);
}

/**
 * When the action raised for a due plan should be done: when the plan would turn overdue (the end
 * of its grace), estimated like predictDueAt, but never sooner than one day and never later than
 * seven days from now; three days when nothing tells.
 */
export function actionDueAt(
  interval: PmInterval,
  usage: PmUsage,
  shotsPerDay: number | null,
  now: Date,
): Date {
  const candidates: number[] = [];
  if (interval.every_days)
    candidates.push(interval.every_days + graceDays(interval.every_days) - usage.days_since);
  if (interval.every_shots && shotsPerDay && shotsPerDay > 0)
    candidates.push((interval.every_shots * (1 + OVERDUE_SHARE) - usage.shots_since) / shotsPerDay);
  const days = candidates.length > 0 ? Math.min(...candidates) : 3;
  return new Date(now.getTime() + Math.min(7, Math.max(1, days)) * DAY_MS);
}

/** What a plan has already told in its current cycle (since it was last done). */
export interface PmNotified {
  warned_at: Date | null;
  due_raised_at: Date | null;
  overdue_notified_at: Date | null;
}

export type PmEffect = 'warn' | 'raise_due' | 'escalate_overdue';

/** How often an overdue plan escalates again. */
export const ESCALATION_INTERVAL_MS = DAY_MS;

/**
 * What to tell now, given the state just computed and what this cycle already told. Each effect
 * happens once per cycle, except the overdue escalation, which repeats once a day. A warning is not
 * sent when the plan is already due (the action says more).
 */
export function pmEffects(state: PmState, notified: PmNotified, now: Date): PmEffect[] {
  const effects: PmEffect[] = [];
  if (state === 'warning' && !notified.warned_at && !notified.due_raised_at) effects.push('warn');
  if ((state === 'due' || state === 'overdue') && !notified.due_raised_at) effects.push('raise_due');
  if (
    state === 'overdue' &&
    (!notified.overdue_notified_at ||
      now.getTime() - notified.overdue_notified_at.getTime() >= ESCALATION_INTERVAL_MS)
  )
    effects.push('escalate_overdue');
  return effects;
}
