import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionDueAt,
  DAY_MS,
  evaluatePm,
  pmEffects,
  predictDueAt,
  stateRank,
  type PmInterval,
  type PmState,
} from '../pm.due.ts';

const plan = (every_shots: number | null, every_days: number | null, warn_at_share = 0.9): PmInterval => ({
  every_shots,
  every_days,
  warn_at_share,
});

describe('evaluatePm', () => {
  const cases: [string, PmInterval, number, number, PmState][] = [
    ['fresh shots plan', plan(10_000, null), 0, 0, 'ok'],
    ['just under the warning', plan(10_000, null), 8_999, 400, 'ok'],
    ['at the warning share', plan(10_000, null), 9_000, 0, 'warning'],
    ['one shot short of due', plan(10_000, null), 9_999, 0, 'warning'],
    ['exactly due by shots', plan(10_000, null), 10_000, 0, 'due'],
    ['within the 10 % grace', plan(10_000, null), 10_999, 0, 'due'],
    ['10 % past: overdue', plan(10_000, null), 11_000, 0, 'overdue'],
    ['days plan, early', plan(null, 30), 0, 10, 'ok'],
    ['days plan at 90 %', plan(null, 30), 0, 27, 'warning'],
    ['days plan due', plan(null, 30), 0, 30, 'due'],
    ['days plan, 10 % of 30 days grace', plan(null, 30), 0, 32.9, 'due'],
    ['days plan overdue after 3 days', plan(null, 30), 0, 33, 'overdue'],
    ['a year plan is overdue after 7 days, not 36', plan(null, 365), 0, 372, 'overdue'],
    ['a year plan 6 days late is due', plan(null, 365), 0, 371, 'due'],
    ['both: shots decide', plan(10_000, 90), 10_000, 5, 'due'],
    ['both: days decide', plan(10_000, 90), 10, 91, 'due'],
    ['both: the earlier warning wins', plan(10_000, 90), 5_000, 81, 'warning'],
    ['warning share 0.5', plan(1_000, null, 0.5), 500, 0, 'warning'],
    ['warning share 1 never warns before due', plan(1_000, null, 1), 999, 0, 'ok'],
    ['negative usage is treated as none', plan(1_000, 10), -50, -1, 'ok'],
  ];
  it.each(cases)('%s', (_name, interval, shots, days, expected) => {
    expect(evaluatePm(interval, { shots_since: shots, days_since: days }).state).toBe(expected);
  });

  it('reports the share and what drives it', () => {
    const result = evaluatePm(plan(10_000, 100), { shots_since: 2_500, days_since: 50 });
    expect(result.share).toBeCloseTo(0.5);
    expect(result.shots_share).toBeCloseTo(0.25);
    expect(result.days_share).toBeCloseTo(0.5);
    expect(result.driver).toBe('days');
  });

  it('property: the state never goes backwards as shots and days grow', () => {
    const interval = fc.record({
      every_shots: fc.option(fc.integer({ min: 1, max: 2_000_000 }), { nil: null }),
      every_days: fc.option(fc.integer({ min: 1, max: 3_650 }), { nil: null }),
      warn_at_share: fc.double({ min: 0.5, max: 1, noNaN: true }),
    });
    fc.assert(
      fc.property(
        interval.filter((i) => i.every_shots !== null || i.every_days !== null),
        fc.nat({ max: 5_000_000 }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        fc.nat({ max: 5_000_000 }),
        fc.double({ min: 0, max: 5_000, noNaN: true }),
        (i, shots, days, moreShots, moreDays) => {
          const before = evaluatePm(i, { shots_since: shots, days_since: days });
          const after = evaluatePm(i, { shots_since: shots + moreShots, days_since: days + moreDays });
          expect(stateRank(after.state)).toBeGreaterThanOrEqual(stateRank(before.state));
          expect(after.share).toBeGreaterThanOrEqual(before.share);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});

describe('predictions', () => {
  const now = new Date('2026-03-01T00:00:00Z');
  it('predicts the due date from the shot rate and the days, whichever comes first', () => {
    const at = predictDueAt(plan(10_000, 60), { shots_since: 4_000, days_since: 10 }, 1_000, now);
    expect(at!.getTime() - now.getTime()).toBe(6 * DAY_MS);
    const byDays = predictDueAt(plan(10_000, 60), { shots_since: 4_000, days_since: 58 }, 1_000, now);
    expect(byDays!.getTime() - now.getTime()).toBe(2 * DAY_MS);
  });
  it('has no prediction for a shots plan on an idle tool', () => {
    expect(predictDueAt(plan(10_000, null), { shots_since: 10, days_since: 3 }, 0, now)).toBeNull();
  });
  it('gives the action from one to seven days, three when nothing tells', () => {
    const days = (date: Date) => (date.getTime() - now.getTime()) / DAY_MS;
    expect(days(actionDueAt(plan(10_000, null), { shots_since: 10_000, days_since: 1 }, null, now))).toBe(3);
    expect(days(actionDueAt(plan(10_000, null), { shots_since: 10_000, days_since: 1 }, 500, now))).toBe(2);
    expect(days(actionDueAt(plan(null, 30), { shots_since: 0, days_since: 30 }, null, now))).toBe(3);
    expect(days(actionDueAt(plan(null, 365), { shots_since: 0, days_since: 365 }, null, now))).toBe(7);
    expect(days(actionDueAt(plan(null, 30), { shots_since: 0, days_since: 40 }, null, now))).toBe(1);
  });
});

describe('pmEffects', () => {
  const now = new Date('2026-03-10T08:00:00Z');
  const none = { warned_at: null, due_raised_at: null, overdue_notified_at: null };
  it('warns once', () => {
    expect(pmEffects('warning', none, now)).toEqual(['warn']);
    expect(pmEffects('warning', { ...none, warned_at: now }, now)).toEqual([]);
  });
  it('raises the due action once, without a warning', () => {
    expect(pmEffects('due', none, now)).toEqual(['raise_due']);
    expect(pmEffects('due', { ...none, warned_at: now, due_raised_at: now }, now)).toEqual([]);
  });
  it('a plan that jumps to overdue raises and escalates at once', () => {
    expect(pmEffects('overdue', none, now)).toEqual(['raise_due', 'escalate_overdue']);
  });
  it('escalates an overdue plan once a day', () => {
    const raised = { ...none, due_raised_at: now };
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);
    expect(pmEffects('overdue', { ...raised, overdue_notified_at: hoursAgo(23) }, now)).toEqual([]);
    expect(pmEffects('overdue', { ...raised, overdue_notified_at: hoursAgo(24) }, now)).toEqual([
      'escalate_overdue',
    ]);
  });
  it('tells nothing while ok', () => {
    expect(pmEffects('ok', none, now)).toEqual([]);
  });
});
