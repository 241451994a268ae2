import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addOnce, computeDeltas, isRollover, type DeltaInput, type StreamRules } from '../shots.deltas.ts';

const MANUAL: StreamRules = { start: 'zero', counter_max: null };
const t0 = Date.parse('2026-03-01T00:00:00Z');
const sum = (values: readonly { delta: number }[]) => values.reduce((total, value) => total + value.delta, 0);

/** What happens to the counter between two readings. */
type Event = { type: 'shots'; n: number } | { type: 'reset'; n: number } | { type: 'rollover'; n: number };

/**
 * Simulates a counter that wraps at `max`, read after each event: the true increments (what the tool
 * really ran) and the readings. Resets happen only below the rollover band and rollovers only from it,
 * which is what makes the two tell-apart-able (shots.deltas.ts documents the rule).
 */
function simulate(start: number, events: readonly Event[], max: number) {
  const readings: DeltaInput[] = [];
  let counter = start;
  let truth = start;
  readings.push({ id: 1, taken_at: new Date(t0), kind: 'counter', counter_value: start, shots: null });
  const band = (max + 1) * 0.1;
  for (const [index, event] of events.entries()) {
    if (event.type === 'shots') {
      // A step that stays below the top of the range (no wrap) and never drops.
      const n = Math.min(event.n, max - counter);
      counter += n;
      truth += n;
    } else if (event.type === 'reset') {
      if (counter >= max + 1 - band) continue;
      const n = Math.min(event.n, Math.max(0, counter - 1));
      if (n >= counter) continue;
      counter = n;
      truth += n;
    } else {
      // Run up into the top band, then past the max into the bottom band.
      const top = Math.max(counter, Math.ceil(max + 1 - band));
      const after = Math.min(event.n, Math.floor(band) - 1);
      truth += top - counter + (max - top) + 1 + after;
      readings.push({
        id: readings.length + 1,
        taken_at: new Date(t0 + (index * 2 + 1) * 60_000),
        kind: 'counter',
        counter_value: top,
        shots: null,
      });
      counter = after;
    }
    readings.push({
      id: readings.length + 1,
      taken_at: new Date(t0 + (index * 2 + 2) * 60_000),
      kind: 'counter',
      counter_value: counter,
      shots: null,
    });
  }
  return { readings, truth };
}

const eventArb: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({ type: fc.constant('shots' as const), n: fc.integer({ min: 0, max: 5_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('reset' as const), n: fc.integer({ min: 0, max: 2_000 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ type: fc.constant('rollover' as const), n: fc.integer({ min: 0, max: 2_000 }) }),
  },
);

describe('shot deltas', () => {
  it('counts the true increments for any run of shots, resets and rollovers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000 }),
        fc.array(eventArb, { maxLength: 60 }),
        (start, events) => {
          const max = 99_999;
          const { readings, truth } = simulate(Math.min(start, 80_000), events, max);
          const results = computeDeltas(readings, { start: 'zero', counter_max: max });
          expect(sum(results)).toBe(truth);
          expect(results.every((r) => r.delta >= 0)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives every reading the same delta whatever order the readings arrive in', () => {
    fc.assert(
      fc.property(
        fc.array(eventArb, { maxLength: 40 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (events, seed) => {
          const { readings } = simulate(100, events, 99_999);
          const rules: StreamRules = { start: 'zero', counter_max: 99_999 };
          const inOrder = computeDeltas(readings, rules);
          const shuffled = fc.sample(fc.shuffledSubarray(readings, { minLength: readings.length }), {
            numRuns: 1,
            seed,
          })[0]!;
          const byId = (list: typeof inOrder) => new Map(list.map((r) => [r.id, r]));
          expect(byId(computeDeltas(shuffled, rules))).toEqual(byId(inOrder));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('counts a reading sent twice once (same tool, time and source)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 1, maxLength: 30 }),
        fc.nat(),
        (steps, pick) => {
          let counter = 0;
          let set: (DeltaInput & { tool_id: number; source: string })[] = [];
          steps.forEach((n, index) => {
            counter += n;
            set = addOnce(set, {
              id: index + 1,
              tool_id: 7,
              source: 'manual',
              taken_at: new Date(t0 + index * 1000),
              kind: 'counter',
              counter_value: counter,
              shots: null,
            });
          });
          const before = sum(computeDeltas(set, MANUAL));
          const again = set[pick % set.length]!;
          const after = addOnce(set, { ...again, id: 999 });
          expect(after).toHaveLength(set.length);
          expect(sum(computeDeltas(after, MANUAL))).toBe(before);
          expect(before).toBe(counter);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('treats a drop as a reset unless it wraps from the top tenth of the range into the bottom tenth', () => {
    expect(isRollover(999_950, 20, 999_999)).toBe(true);
    expect(isRollover(500_000, 20, 999_999)).toBe(false);
    expect(isRollover(999_950, 20, null)).toBe(false);
    const results = computeDeltas(
      [
        { id: 1, taken_at: new Date(t0), kind: 'counter', counter_value: 999_900, shots: null },
        { id: 2, taken_at: new Date(t0 + 1), kind: 'counter', counter_value: 50, shots: null },
        { id: 3, taken_at: new Date(t0 + 2), kind: 'counter', counter_value: 30, shots: null },
      ],
      { start: 'baseline', counter_max: 999_999 },
    );
    expect(results).toEqual([
      { id: 1, delta: 0, is_reset: false, is_rollover: false },
      { id: 2, delta: 150, is_reset: false, is_rollover: true },
      { id: 3, delta: 30, is_reset: true, is_rollover: false },
    ]);
  });

  it('does not count twice the shots a delta reading already counted before a counter reading', () => {
    const results = computeDeltas(
      [
        { id: 1, taken_at: new Date(t0), kind: 'counter', counter_value: 1000, shots: null },
        { id: 2, taken_at: new Date(t0 + 1), kind: 'delta', counter_value: null, shots: 300 },
        { id: 3, taken_at: new Date(t0 + 2), kind: 'counter', counter_value: 1500, shots: null },
      ],
      MANUAL,
    );
    expect(results.map((r) => r.delta)).toEqual([1000, 300, 200]);
  });
});
