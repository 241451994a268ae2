/**
 * The rules of automatic downtime, without I/O (docs/auto-downtime.md).
 *
 * A machine is stopped while its state is one of STOP_STATES, or while it reports running (or
 * unknown, or no state at all) and no cycle came for no_cycle_factor × its ideal cycle time. A stop
 * that lasts the stop threshold (or, without cycles, factor × ideal) becomes a downtime without a
 * reason; a shorter state stop is a micro-stop, counted, not listed.
 */
import type { StopCause } from '../maintenance/index.ts';
import type { MachineState } from './signals.types.ts';

/**
 * States in which the machine does not produce. Idle (waiting: no material, no operator) and setup
 * (changeover) are availability losses as much as a stop or a fault; whether they were planned is
 * what the shift calendar (no downtime outside planned time) and the reason the operator gives say.
 * `unknown` is not a stop: HOM does not know, and only the no-cycle rule applies.
 */
export const STOP_STATES = ['stopped', 'fault', 'idle', 'setup'] as const satisfies readonly MachineState[];
export type StopState = (typeof STOP_STATES)[number];

export function isStopState(state: string | null | undefined): state is StopState {
  return (STOP_STATES as readonly string[]).includes(state ?? '');
}

/** What the periodic check knows about one machine now. */
export interface StopCandidate {
  machine_id: number;
  site_id: number;
  /** The open state period, if the machine reports states. */
  state: string | null;
  state_started_at: Date | null;
  /** When the current run of stop states began (null unless the state is a stop state). */
  stop_started_at: Date | null;
  /** The last stored cycle that counted (delta > 0). */
  last_cycle_at: Date | null;
  stop_threshold_seconds: number;
  no_cycle_factor: number;
  /** The mounted tool's ideal cycle time, else the machine's; null when neither is set. */
  ideal_cycle_seconds: number | null;
  /** A signal source of the machine (OPC-UA, MQTT, HTTP) is stale now: nothing is decided. */
  stale: boolean;
}

export interface ProposedStop {
  start: Date;
  /** How long the stop must last to become a downtime. */
  limit_seconds: number;
  cause: StopCause;
}

const later = (a: Date, b: Date | null): Date => (b && b.getTime() > a.getTime() ? b : a);

/** The stop a machine is in now, if any, by the rules above (not yet checked against its length). */
export function proposeStop(candidate: StopCandidate): ProposedStop | null {
  if (candidate.stale) return null;
  if (isStopState(candidate.state)) {
    const since = candidate.stop_started_at ?? candidate.state_started_at;
    if (!since) return null;
    // A cycle counted while the state says stopped means it produced then: the stop began after it.
    return {
      start: later(since, candidate.last_cycle_at),
      limit_seconds: candidate.stop_threshold_seconds,
      cause: candidate.state,
    };
  }
  const producing =
    candidate.state === null || candidate.state === 'running' || candidate.state === 'unknown';
  if (!producing || candidate.ideal_cycle_seconds === null || candidate.last_cycle_at === null) return null;
  return {
    start: candidate.last_cycle_at,
    limit_seconds: noCycleLimit(candidate.no_cycle_factor, candidate.ideal_cycle_seconds),
    cause: 'no_cycle',
  };
}

export function noCycleLimit(factor: number, idealCycleSeconds: number): number {
  return factor * idealCycleSeconds;
}

export interface Window {
  start: Date;
  end: Date;
}

/**
 * A stop [start, end) against the site's planned windows within it (null: planned around the clock).
 * It counts only when its planned part lasts at least `limitSeconds`; it then runs from the start of
 * its first planned window to the end of its last, so time before the shift began is never downtime.
 */
export function clipToPlanned(
  start: Date,
  end: Date,
  windows: readonly Window[] | null,
  limitSeconds: number,
): { start: Date; end: Date } | null {
  const limitMs = limitSeconds * 1000;
  if (windows === null) return end.getTime() - start.getTime() >= limitMs ? { start, end } : null;
  const inside = windows
    .map((w) => ({
      start: new Date(Math.max(w.start.getTime(), start.getTime())),
      end: new Date(Math.min(w.end.getTime(), end.getTime())),
    }))
    .filter((w) => w.end.getTime() > w.start.getTime());
  const planned = inside.reduce((sum, w) => sum + (w.end.getTime() - w.start.getTime()), 0);
  const first = inside[0];
  const last = inside.at(-1);
  if (!first || !last || planned < limitMs) return null;
  return { start: first.start, end: last.end };
}

export interface StatePeriod {
  state: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface StopRun {
  start: Date;
  end: Date | null;
}

/** Consecutive periods in stop states joined into one stop each (the timeline has no gaps). */
export function stopRuns(periods: readonly StatePeriod[]): StopRun[] {
  const runs: StopRun[] = [];
  let current: StopRun | null = null;
  for (const period of [...periods].sort((a, b) => a.started_at.getTime() - b.started_at.getTime())) {
    if (isStopState(period.state)) {
      if (current && current.end && current.end.getTime() === period.started_at.getTime()) {
        current.end = period.ended_at;
      } else {
        current = { start: period.started_at, end: period.ended_at };
        runs.push(current);
      }
    } else {
      current = null;
    }
  }
  return runs;
}

export interface MicroStops {
  count: number;
  total_seconds: number;
  threshold_seconds: number;
}

/**
 * Micro-stops: state stops that began in [from, to) and ended after less than the threshold. The
 * periods must include those overlapping [from − threshold, to + threshold) so that each stop is seen
 * whole. A stop still open is not counted (it may yet become a downtime).
 */
export function countMicroStops(
  periods: readonly StatePeriod[],
  from: Date,
  to: Date,
  thresholdSeconds: number,
): MicroStops {
  let count = 0;
  let totalMs = 0;
  for (const run of stopRuns(periods)) {
    if (!run.end || run.start.getTime() < from.getTime() || run.start.getTime() >= to.getTime()) continue;
    const length = run.end.getTime() - run.start.getTime();
    if (length >= thresholdSeconds * 1000) continue;
    count += 1;
    totalMs += length;
  }
  return { count, total_seconds: totalMs / 1000, threshold_seconds: thresholdSeconds };
}
