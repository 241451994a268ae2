/**
 * Shot deltas from counter readings: pure, so its rules are tested by properties (tests/shots-deltas).
 *
 * Readings belong to a stream: the tool's own counter read by a person (manual and CSV readings), or
 * one machine's cycle counter during one mounting. Within a stream, in time order:
 * - a `delta` reading counts its shots;
 * - a `counter` reading counts the rise since the stream's previous counter value, less the shots
 *   `delta` readings already counted in between (never below 0);
 * - a counter lower than the previous one is a reset (the counter restarted from 0: it counts the new
 *   value), unless the tool's counter wraps (`counter_max`) and the previous value was in the last tenth
 *   of its range while the new one is in the first tenth: then it is a rollover, max − prev + new + 1;
 * - the first counter value of a stream: a manual stream counts it whole (the tool's counter started at
 *   0 when it was new); a machine stream takes it as the baseline (the machine counted other tools before).
 */

export type ReadingKind = 'counter' | 'delta';

export interface DeltaInput {
  id: number;
  taken_at: Date;
  kind: ReadingKind;
  counter_value: number | null;
  shots: number | null;
}

export interface DeltaResult {
  id: number;
  delta: number;
  is_reset: boolean;
  is_rollover: boolean;
}

export interface StreamRules {
  /** 'zero': the first counter value counts whole; 'baseline': it counts nothing. */
  start: 'zero' | 'baseline';
  /** The counter wraps after this value; null = never. */
  counter_max: number | null;
}

/** The state carried from one reading to the next: the last counter value and the shots counted since. */
export interface StreamState {
  prev: number | null;
  pending: number;
}

export const EMPTY_STATE: StreamState = { prev: null, pending: 0 };

/** Share of the counter's range that counts as "near the top" / "near the bottom" for a rollover. */
const ROLLOVER_BAND = 0.1;

export function byTime(a: Pick<DeltaInput, 'taken_at' | 'id'>, b: Pick<DeltaInput, 'taken_at' | 'id'>) {
  return a.taken_at.getTime() - b.taken_at.getTime() || a.id - b.id;
}

/** True when a drop from `prev` to `next` is the counter wrapping rather than being reset. */
export function isRollover(prev: number, next: number, counterMax: number | null): boolean {
  if (counterMax === null || next >= prev) return false;
  const band = (counterMax + 1) * ROLLOVER_BAND;
  return prev >= counterMax + 1 - band && next < band;
}

/** One step: the result of a reading given the state before it, and the state after it. */
export function step(
  state: StreamState,
  reading: DeltaInput,
  rules: StreamRules,
): { result: DeltaResult; state: StreamState } {
  if (reading.kind === 'delta') {
    const shots = reading.shots ?? 0;
    return {
      result: { id: reading.id, delta: shots, is_reset: false, is_rollover: false },
      state: { prev: state.prev, pending: state.pending + shots },
    };
  }
  const value = reading.counter_value ?? 0;
  const next: StreamState = { prev: value, pending: 0 };
  if (state.prev === null) {
    const rise = rules.start === 'zero' ? value : 0;
    return {
      result: {
        id: reading.id,
        delta: Math.max(0, rise - state.pending),
        is_reset: false,
        is_rollover: false,
      },
      state: next,
    };
  }
  if (value >= state.prev) {
    return {
      result: {
        id: reading.id,
        delta: Math.max(0, value - state.prev - state.pending),
        is_reset: false,
        is_rollover: false,
      },
      state: next,
    };
  }
  if (isRollover(state.prev, value, rules.counter_max)) {
    const rise = (rules.counter_max ?? 0) - state.prev + value + 1;
    return {
      result: {
        id: reading.id,
        delta: Math.max(0, rise - state.pending),
        is_reset: false,
        is_rollover: true,
      },
      state: next,
    };
  }
  // A reset: the counter restarted from 0; shots counted by delta readings in between are kept.
  return { result: { id: reading.id, delta: value, is_reset: true, is_rollover: false }, state: next };
}

/**
 * The deltas of a stream's readings, in any order given (they are put in time order, ties by id),
 * starting from `state` (the state after the readings before them).
 */
export function computeDeltas(
  readings: readonly DeltaInput[],
  rules: StreamRules,
  state: StreamState = EMPTY_STATE,
): DeltaResult[] {
  const results: DeltaResult[] = [];
  let current = state;
  for (const reading of [...readings].sort(byTime)) {
    const next = step(current, reading, rules);
    results.push(next.result);
    current = next.state;
  }
  return results;
}

/** A reading's identity: the same (tool, instant, source) is one reading, however often it is sent. */
export function readingKey(reading: { tool_id: number; taken_at: Date; source: string }): string {
  return `${reading.tool_id}|${reading.taken_at.toISOString()}|${reading.source}`;
}

/** Adds a reading to a set unless one with the same key is there already (idempotent). */
export function addOnce<R extends { tool_id: number; taken_at: Date; source: string }>(
  readings: readonly R[],
  reading: R,
): R[] {
  const key = readingKey(reading);
  return readings.some((existing) => readingKey(existing) === key) ? [...readings] : [...readings, reading];
}
