import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../platform/errors.ts';
import type { IssueStatus, Metrics, StageStatus } from '../production.dto.ts';
import {
  allowedStageActions,
  BUILT_IN_ROUTE,
  checkIssueTransition,
  metricsOf,
  nextStageStatus,
  spreadWindows,
  summarise,
  type StageAction,
  type TimeWindow,
} from '../production.rules.ts';

const at = (iso: string) => new Date(`${iso}Z`);
const MIN = 60_000;

function thrown(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

function window(
  planned: [string, string] | null,
  actualStart: string | null,
  actualEnd: string | null = null,
): TimeWindow {
  return {
    planned_start: planned ? at(planned[0]) : null,
    planned_end: planned ? at(planned[1]) : null,
    actual_start: actualStart ? at(actualStart) : null,
    actual_end: actualEnd ? at(actualEnd) : null,
  };
}

describe('stage state machine', () => {
  it.each([
    ['planned', 'start', 'in_progress'],
    ['in_progress', 'done', 'done'],
  ] as const)('%s + %s → %s', (from, action, to) => {
    expect(nextStageStatus(1, from, action)).toBe(to);
  });

  it.each([
    ['planned', 'done', 'done', ['start']],
    ['in_progress', 'start', 'in_progress', ['done']],
    ['done', 'start', 'in_progress', []],
    ['done', 'done', 'done', []],
  ] as const)(
    '%s + %s is refused: INVALID_STAGE_TRANSITION (400) naming the allowed moves',
    (from, action, to, allowed) => {
      const error = thrown(() => nextStageStatus(42, from, action));
      expect(error.code).toBe('INVALID_STAGE_TRANSITION');
      expect(error.kind).toBe('rejected');
      expect(error.details).toEqual({ stage_id: 42, from, to, action, allowed });
      expect(error.message).toContain('Stage 42 is ' + from);
    },
  );

  it('lists the allowed actions of each status', () => {
    expect(allowedStageActions('planned')).toEqual(['start']);
    expect(allowedStageActions('in_progress')).toEqual(['done']);
    expect(allowedStageActions('done')).toEqual([]);
  });

  it('property: any sequence of actions accepts exactly start then done, in that order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom<StageAction>('start', 'done'), { maxLength: 12 }), (actions) => {
        let status: StageStatus = 'planned';
        const accepted: StageAction[] = [];
        for (const action of actions) {
          const allowed = allowedStageActions(status);
          try {
            status = nextStageStatus(1, status, action);
            accepted.push(action);
            expect(allowed).toContain(action);
          } catch (error) {
            expect((error as AppError).code).toBe('INVALID_STAGE_TRANSITION');
            expect((error as AppError).details?.allowed).toEqual(allowed);
            expect(allowed).not.toContain(action);
          }
        }
        expect(['start', 'done'].slice(0, accepted.length)).toEqual(accepted);
        expect(status).toBe(['planned', 'in_progress', 'done'][accepted.length]);
      }),
    );
  });
});

describe('issue lifecycle', () => {
  const ALLOWED: Record<IssueStatus, IssueStatus[]> = {
    open: ['acknowledged', 'resolved'],
    acknowledged: ['resolved'],
    resolved: [],
  };
  const pairs = (['open', 'acknowledged', 'resolved'] as const).flatMap((from) =>
    (['open', 'acknowledged', 'resolved'] as const).map((to) => [from, to] as const),
  );

  it.each(pairs)('%s → %s', (from, to) => {
    if (ALLOWED[from].includes(to)) {
      expect(() => checkIssueTransition(7, from, to)).not.toThrow();
    } else {
      const error = thrown(() => checkIssueTransition(7, from, to));
      expect(error.code).toBe('INVALID_ISSUE_TRANSITION');
      expect(error.kind).toBe('rejected');
      expect(error.details).toEqual({ issue_id: 7, from, to, allowed: ALLOWED[from] });
    }
  });
});

describe('metricsOf', () => {
  const planned120: [string, string] = ['2026-03-02T08:00', '2026-03-02T10:00'];

  it.each<[string, TimeWindow, Metrics]>([
    [
      'late: planned 120, actual 150',
      window(planned120, '2026-03-02T08:00', '2026-03-02T10:30'),
      {
        planned_minutes: 120,
        actual_minutes: 150,
        delay_minutes: 30,
        efficiency_pct: 80,
        on_time: false,
        reason: null,
      },
    ],
    [
      'early: planned 120, actual 100',
      window(planned120, '2026-03-02T09:00', '2026-03-02T10:40'),
      {
        planned_minutes: 120,
        actual_minutes: 100,
        delay_minutes: -20,
        efficiency_pct: 120,
        on_time: true,
        reason: null,
      },
    ],
    [
      'exactly on plan counts as on time',
      window(planned120, '2026-03-02T08:05', '2026-03-02T10:05'),
      {
        planned_minutes: 120,
        actual_minutes: 120,
        delay_minutes: 0,
        efficiency_pct: 100,
        on_time: true,
        reason: null,
      },
    ],
    [
      'a third: 60 planned, 45 actual → 133.33',
      window(['2026-03-02T08:00', '2026-03-02T09:00'], '2026-03-02T08:00', '2026-03-02T08:45'),
      {
        planned_minutes: 60,
        actual_minutes: 45,
        delay_minutes: -15,
        efficiency_pct: 133.33,
        on_time: true,
        reason: null,
      },
    ],
    [
      'never started',
      window(planned120, null),
      {
        planned_minutes: 120,
        actual_minutes: null,
        delay_minutes: null,
        efficiency_pct: null,
        on_time: null,
        reason: 'not_started',
      },
    ],
    [
      'still running',
      window(planned120, '2026-03-02T08:00'),
      {
        planned_minutes: 120,
        actual_minutes: null,
        delay_minutes: null,
        efficiency_pct: null,
        on_time: null,
        reason: 'not_finished',
      },
    ],
    [
      'no planned window',
      window(null, '2026-03-02T08:00', '2026-03-02T08:20'),
      {
        planned_minutes: null,
        actual_minutes: 20,
        delay_minutes: null,
        efficiency_pct: null,
        on_time: null,
        reason: 'no_planned_window',
      },
    ],
    [
      'zero actual duration',
      window(planned120, '2026-03-02T08:10', '2026-03-02T08:10'),
      {
        planned_minutes: 120,
        actual_minutes: 0,
        delay_minutes: -120,
        efficiency_pct: null,
        on_time: true,
        reason: 'zero_actual_duration',
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(metricsOf(input)).toEqual(expected);
  });

  it('a half-open planned window counts as none', () => {
    const result = metricsOf({
      planned_start: at('2026-03-02T08:00'),
      planned_end: null,
      actual_start: at('2026-03-02T08:00'),
      actual_end: at('2026-03-02T09:00'),
    });
    expect(result).toMatchObject({ planned_minutes: null, actual_minutes: 60, reason: 'no_planned_window' });
  });

  it('measures the actual duration in whole seconds', () => {
    const base = at('2026-03-02T08:00');
    const within = (ms: number) =>
      metricsOf({
        planned_start: base,
        planned_end: new Date(base.getTime() + MIN),
        actual_start: base,
        actual_end: new Date(base.getTime() + ms),
      });
    expect(within(400)).toMatchObject({
      actual_minutes: 0,
      efficiency_pct: null,
      reason: 'zero_actual_duration',
    });
    expect(within(600)).toMatchObject({ actual_minutes: 0.02, reason: null }); // 1 s
    // 90.6 s → 91 s: delay 31 s = 0.52 min, efficiency 60 / 91 = 65.93 %.
    expect(within(90_600)).toMatchObject({
      actual_minutes: 1.52,
      delay_minutes: 0.52,
      efficiency_pct: 65.93,
    });
  });

  it('property: delay, efficiency and on-time agree with their definitions', () => {
    const origin = at('2026-01-01T00:00').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }), // planned start, minutes after origin
        fc.integer({ min: 0, max: 10_000 }), // planned length, minutes
        fc.integer({ min: -10_000, max: 100_000 }), // actual start, seconds after planned start
        fc.integer({ min: 1, max: 10_000_000 }), // actual length, ms
        (plannedAt, plannedLength, actualOffset, actualMs) => {
          const plannedStart = origin + plannedAt * MIN;
          const actualStart = plannedStart + actualOffset * 1000;
          const result = metricsOf({
            planned_start: new Date(plannedStart),
            planned_end: new Date(plannedStart + plannedLength * MIN),
            actual_start: new Date(actualStart),
            actual_end: new Date(actualStart + actualMs),
          });
          const actualMinutes = Math.round(actualMs / 1000) / 60;
          expect(result.planned_minutes).toBe(plannedLength);
          expect(result.actual_minutes).toBeCloseTo(actualMinutes, 2);
          expect(result.delay_minutes).toBeCloseTo(actualMinutes - plannedLength, 2);
          expect(result.on_time).toBe(actualMinutes - plannedLength <= 0);
          if (actualMinutes === 0) {
            expect(result.efficiency_pct).toBeNull();
            expect(result.reason).toBe('zero_actual_duration');
          } else {
            expect(result.reason).toBeNull();
            expect(result.efficiency_pct).toBeCloseTo((plannedLength / actualMinutes) * 100, 2);
          }
        },
      ),
    );
  });

  it('property: a missing actual start or end gives null figures and says why, whatever the plan', () => {
    fc.assert(
      fc.property(
        fc.option(fc.date({ noInvalidDate: true })),
        fc.option(fc.date({ noInvalidDate: true })),
        fc.option(fc.date({ noInvalidDate: true })),
        (plannedStart, plannedEnd, actualEnd) => {
          const notStarted = metricsOf({
            planned_start: plannedStart,
            planned_end: plannedEnd,
            actual_start: null,
            actual_end: actualEnd,
          });
          expect(notStarted).toMatchObject({
            actual_minutes: null,
            delay_minutes: null,
            efficiency_pct: null,
            on_time: null,
            reason: 'not_started',
          });
          const running = metricsOf({
            planned_start: plannedStart,
            planned_end: plannedEnd,
            actual_start: new Date(0),
            actual_end: null,
          });
          expect(running).toMatchObject({ actual_minutes: null, on_time: null, reason: 'not_finished' });
        },
      ),
    );
  });
});

describe('summarise', () => {
  const finished = (planned: number | null, actual: number): Metrics => {
    const base = at('2026-03-02T08:00').getTime();
    return metricsOf({
      planned_start: planned === null ? null : new Date(base),
      planned_end: planned === null ? null : new Date(base + planned * MIN),
      actual_start: new Date(base),
      actual_end: new Date(base + actual * MIN),
    });
  };

  it('is empty for nothing', () => {
    expect(summarise([])).toEqual({
      finished: 0,
      with_windows: 0,
      on_time: 0,
      on_time_pct: null,
      avg_delay_minutes: null,
      efficiency_pct: null,
    });
  });

  it('worked example: on-time share, average delay and duration-weighted efficiency', () => {
    // 120/150 (+30, late), 60/45 (−15), 120/100 (−20), 120/120 (0), 60/90 (+30, late);
    // one without a window, one never started, one running.
    const items = [
      finished(120, 150),
      finished(60, 45),
      finished(120, 100),
      finished(120, 120),
      finished(60, 90),
      finished(null, 20),
      metricsOf(window(['2026-03-02T08:00', '2026-03-02T09:00'], null)),
      metricsOf(window(['2026-03-02T08:00', '2026-03-02T09:00'], '2026-03-02T08:00')),
    ];
    expect(summarise(items)).toEqual({
      finished: 6,
      with_windows: 5,
      on_time: 3,
      on_time_pct: 60,
      avg_delay_minutes: 5,
      efficiency_pct: 95.05, // 480 / 505
    });
  });

  it('weighs efficiency by duration, not by item', () => {
    // A short order at 50 % and a long one at 100 %: 30 + 600 planned over 60 + 600 actual = 95.45 %,
    // not the 75 % an average of percentages would give.
    expect(summarise([finished(30, 60), finished(600, 600)]).efficiency_pct).toBe(95.45);
  });

  it('finished items without windows count as finished only', () => {
    expect(summarise([finished(null, 10), finished(null, 30)])).toEqual({
      finished: 2,
      with_windows: 0,
      on_time: 0,
      on_time_pct: null,
      avg_delay_minutes: null,
      efficiency_pct: null,
    });
  });

  // Two stages planned 1 min that took 91 s each: Σplanned ÷ Σactual = 120 s ÷ 182 s = 65.93 %, not
  // 2 ÷ (1.52 + 1.52) = 65.79 % from the rounded minutes.
  it('sums the whole-second durations, not the rounded minutes', () => {
    const base = at('2026-03-02T08:00').getTime();
    const stage = metricsOf({
      planned_start: new Date(base),
      planned_end: new Date(base + MIN),
      actual_start: new Date(base),
      actual_end: new Date(base + 91_000),
    });
    expect(summarise([stage, stage]).efficiency_pct).toBe(65.93);
  });

  it('property: counts nest, the on-time share is a percentage, efficiency is Σplanned ÷ Σactual', () => {
    const item = fc.oneof(
      fc.record({
        planned: fc.option(fc.integer({ min: 0, max: 2_000 })),
        actual: fc.integer({ min: 1, max: 2_000 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), fc.nat({ max: 5 }), (specs, unfinished) => {
        const items = [
          ...specs.map((spec) => finished(spec.planned, spec.actual)),
          ...Array.from({ length: unfinished }, () => metricsOf(window(null, null))),
        ];
        const result = summarise(items);
        const judged = specs.filter((spec) => spec.planned !== null) as { planned: number; actual: number }[];
        expect(result.finished).toBe(specs.length);
        expect(result.with_windows).toBe(judged.length);
        expect(result.on_time).toBe(judged.filter((spec) => spec.actual <= spec.planned).length);
        expect(result.on_time).toBeLessThanOrEqual(result.with_windows);
        if (judged.length === 0) {
          expect(result.on_time_pct).toBeNull();
          expect(result.avg_delay_minutes).toBeNull();
          expect(result.efficiency_pct).toBeNull();
          return;
        }
        expect(result.on_time_pct).toBeGreaterThanOrEqual(0);
        expect(result.on_time_pct).toBeLessThanOrEqual(100);
        // Figures are rounded to 2 decimals: within half a hundredth of the exact value.
        const near = (value: number | null, exact: number) =>
          expect(Math.abs((value ?? Number.NaN) - exact)).toBeLessThanOrEqual(0.005 + 1e-9);
        near(result.on_time_pct, (result.on_time / judged.length) * 100);
        const plannedSum = judged.reduce((sum, spec) => sum + spec.planned, 0);
        const actualSum = judged.reduce((sum, spec) => sum + spec.actual, 0);
        near(result.avg_delay_minutes, (actualSum - plannedSum) / judged.length);
        near(result.efficiency_pct, (plannedSum / actualSum) * 100);
      }),
    );
  });
});

describe('spreadWindows', () => {
  const spread = (weights: number[], start: string, end: string) =>
    spreadWindows(
      weights.map((weight, index) => ({ stage_name: `s${index}`, weight })),
      at(start),
      at(end),
    ).map((w) => [w.planned_start.toISOString(), w.planned_end.toISOString()]);

  it('five equal steps over ten hours: two hours each', () => {
    const result = spreadWindows(BUILT_IN_ROUTE, at('2026-03-02T08:00'), at('2026-03-02T18:00'));
    expect(result.map((w) => w.stage_name)).toEqual([
      'moulding',
      'deburring',
      'assembly',
      'testing',
      'packing',
    ]);
    expect(result.map((w) => [w.planned_start.toISOString(), w.planned_end.toISOString()])).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T10:00:00.000Z'],
      ['2026-03-02T10:00:00.000Z', '2026-03-02T12:00:00.000Z'],
      ['2026-03-02T12:00:00.000Z', '2026-03-02T14:00:00.000Z'],
      ['2026-03-02T14:00:00.000Z', '2026-03-02T16:00:00.000Z'],
      ['2026-03-02T16:00:00.000Z', '2026-03-02T18:00:00.000Z'],
    ]);
  });

  it('weights 1 : 2 : 1 over four hours', () => {
    expect(spread([1, 2, 1], '2026-03-02T08:00', '2026-03-02T12:00')).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T09:00:00.000Z'],
      ['2026-03-02T09:00:00.000Z', '2026-03-02T11:00:00.000Z'],
      ['2026-03-02T11:00:00.000Z', '2026-03-02T12:00:00.000Z'],
    ]);
  });

  it('rounds boundaries to whole seconds; the last step ends exactly at the end', () => {
    // Thirds of 10 s: 3.33 → 3 s, 6.67 → 7 s, 10 s.
    expect(spread([1, 1, 1], '2026-03-02T08:00:00', '2026-03-02T08:00:10')).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:00:03.000Z'],
      ['2026-03-02T08:00:03.000Z', '2026-03-02T08:00:07.000Z'],
      ['2026-03-02T08:00:07.000Z', '2026-03-02T08:00:10.000Z'],
    ]);
  });

  it('fractional weights', () => {
    expect(spread([0.5, 1.5], '2026-03-02T08:00', '2026-03-02T10:00')).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:30:00.000Z'],
      ['2026-03-02T08:30:00.000Z', '2026-03-02T10:00:00.000Z'],
    ]);
  });

  it('one step takes the whole window', () => {
    expect(spread([7], '2026-03-02T08:00', '2026-03-02T08:17')).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:17:00.000Z'],
    ]);
  });

  it('property: contiguous, covering exactly, whole seconds, each boundary within half a second of its share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 0, max: 10_000_000 }), // start, seconds after 2026-01-01
        fc.integer({ min: 1, max: 60 * 86_400 }), // span, seconds
        (weights, startSeconds, spanSeconds) => {
          const start = new Date(at('2026-01-01T00:00').getTime() + startSeconds * 1000);
          const end = new Date(start.getTime() + spanSeconds * 1000);
          const steps = weights.map((weight, index) => ({ stage_name: `s${index}`, weight }));
          const result = spreadWindows(steps, start, end);
          expect(result).toHaveLength(steps.length);
          expect(result.map((w) => w.stage_name)).toEqual(steps.map((s) => s.stage_name));
          expect(result[0]!.planned_start.getTime()).toBe(start.getTime());
          expect(result.at(-1)!.planned_end.getTime()).toBe(end.getTime());
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          let used = 0;
          result.forEach((w, index) => {
            expect(w.planned_end.getTime()).toBeGreaterThanOrEqual(w.planned_start.getTime());
            expect((w.planned_end.getTime() - start.getTime()) % 1000).toBe(0);
            if (index > 0) expect(w.planned_start.getTime()).toBe(result[index - 1]!.planned_end.getTime());
            used += weights[index]!;
            const exact = start.getTime() + (spanSeconds * 1000 * used) / total;
            expect(Math.abs(w.planned_end.getTime() - exact)).toBeLessThanOrEqual(500);
          });
        },
      ),
    );
  });
});
