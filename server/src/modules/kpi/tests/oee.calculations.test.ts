import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregateFigures, machineFigures, REASONS, viewOf, type OeeFigures } from '../oee.calculations.ts';
import { clip, intersect, seconds, subtract, union, type Span } from '../oee.intervals.ts';
import { coversStale, cutHours, idealSegments } from '../oee.output.ts';
import { buildBuckets, currentShift, namedWindows, type SiteCalendar } from '../oee.shifts.ts';
import { CALENDAR, local, OEE_EXAMPLE, OEE_EXPECTED, oeeOf, type ExampleCount } from './oee.fixtures.ts';
import { pureOee, type PureMachine } from './oee.pure.ts';

const H = 3600;
const MIN = 60_000;
const span = (start: number, end: number): Span => ({ start: start * MIN, end: end * MIN });
const berlin: SiteCalendar = { time_zone: OEE_EXAMPLE.timeZone, ...CALENDAR };
const aroundTheClock: SiteCalendar = { time_zone: 'UTC', shifts: [], non_working_dates: [] };

describe('interval arithmetic', () => {
  it('merges overlapping and touching spans, and drops empty ones', () => {
    expect(union([span(10, 20), span(0, 5), span(5, 8), span(15, 30), span(40, 40)])).toEqual([
      span(0, 8),
      span(10, 30),
    ]);
  });

  it('intersects, subtracts and clips sets', () => {
    const a = [span(0, 10), span(20, 30)];
    const b = [span(5, 25)];
    expect(intersect(a, b)).toEqual([span(5, 10), span(20, 25)]);
    expect(subtract(a, b)).toEqual([span(0, 5), span(25, 30)]);
    expect(subtract([span(0, 60)], [span(10, 20), span(30, 40)])).toEqual([
      span(0, 10),
      span(20, 30),
      span(40, 60),
    ]);
    expect(clip(a, span(8, 22))).toEqual([span(8, 10), span(20, 22)]);
    expect(seconds(a)).toBe(20 * 60);
  });
});

describe('ideal cycle time', () => {
  const period = { start: local('2025-03-03T00:00').getTime(), end: local('2025-03-04T00:00').getTime() };
  const tool = (id: number, ideal: number | null, mounted: string, removed: string | null) => ({
    tool_id: id,
    tool_code: `T${id}`,
    mounted_at: local(mounted),
    removed_at: removed === null ? null : local(removed),
    ideal_cycle_seconds: ideal,
  });

  it('follows a tool change in the middle of the period, with the machine’s time in between', () => {
    const segments = idealSegments(
      20,
      [tool(1, 30, '2025-03-02T20:00', '2025-03-03T14:00'), tool(2, 24, '2025-03-03T15:00', null)],
      period,
    );
    expect(segments.map((s) => [s.ideal_cycle_seconds, s.source, s.tool?.code ?? null])).toEqual([
      [30, 'tool', 'T1'],
      [20, 'machine', null],
      [24, 'tool', 'T2'],
    ]);
    expect(segments.map((s) => new Date(s.start))).toEqual([
      local('2025-03-03T00:00'),
      local('2025-03-03T14:00'),
      local('2025-03-03T15:00'),
    ]);
  });

  it('takes the slowest of tools mounted together, ignores tools without one, else has none', () => {
    const both = idealSegments(
      null,
      [
        tool(1, 30, '2025-03-03T08:00', null),
        tool(2, 40, '2025-03-03T10:00', '2025-03-03T12:00'),
        tool(3, null, '2025-03-02T00:00', null),
      ],
      period,
    );
    expect(both.map((s) => [s.ideal_cycle_seconds, s.tool?.code ?? null])).toEqual([
      [null, null],
      [30, 'T1'],
      [40, 'T2'],
      [30, 'T1'],
    ]);
  });
});

describe('counter increases and stale periods', () => {
  const stale = [span(60, 120)];
  const row = (previous: number | null, at: number) => ({
    at: new Date(at * MIN),
    previous_at: previous === null ? null : new Date(previous * MIN),
  });

  it('keeps a value read at the instant the source went stale', () => {
    expect(coversStale(row(0, 60), stale)).toBe(false);
  });

  it('leaves out the jump after a reconnect and a value read inside the stale period', () => {
    expect(coversStale(row(60, 120), stale)).toBe(true);
    expect(coversStale(row(30, 90), stale)).toBe(true);
    expect(coversStale(row(null, 90), stale)).toBe(true);
  });

  it('keeps increases made wholly after the period', () => {
    expect(coversStale(row(120, 150), stale)).toBe(false);
  });
});

describe('hours read value by value', () => {
  it('are the partial hours at the period ends and the hours a boundary cuts', () => {
    const at = (hhmm: string) => Date.parse(`2025-03-03T${hhmm}:00Z`);
    expect(
      cutHours({ start: at('06:20'), end: at('12:40') }, [at('08:00'), at('09:30'), at('20:00')]),
    ).toEqual([at('06:00'), at('09:00'), at('12:00')]);
    expect(cutHours({ start: at('06:00'), end: at('12:00') }, [at('08:00')])).toEqual([]);
  });
});

describe('shift buckets', () => {
  it('cuts the period at shift edges and local midnight', () => {
    const period = { start: local('2025-03-03T00:00').getTime(), end: local('2025-03-04T12:00').getTime() };
    const buckets = buildBuckets(period, namedWindows(berlin, period), berlin.time_zone);
    expect(buckets.map((b) => [new Date(b.start), b.day, b.shifts.join('+'), b.planned])).toEqual([
      [local('2025-03-03T00:00'), '2025-03-03', '', false],
      [local('2025-03-03T06:00'), '2025-03-03', 'Early', true],
      [local('2025-03-03T14:00'), '2025-03-03', 'Late', true],
      [local('2025-03-03T22:00'), '2025-03-03', '', false],
      [local('2025-03-04T00:00'), '2025-03-04', '', false],
      [local('2025-03-04T06:00'), '2025-03-04', 'Early', true],
    ]);
  });

  it('finds the shift running now, and none between shifts', () => {
    expect(currentShift(berlin, local('2025-03-03T15:00'))).toEqual({
      name: 'Late',
      start: local('2025-03-03T14:00'),
      end: local('2025-03-03T22:00'),
    });
    expect(currentShift(berlin, local('2025-03-03T23:00'))).toBeNull();
  });
});

/** The example's machines as plain inputs. */
function exampleMachines(): PureMachine[] {
  const values = (counts: readonly ExampleCount[], column: 1 | 2 | 3) =>
    counts.flatMap((c) => (c[column] === null ? [] : [[c[0], c[column]] as const]));
  const { M1, M2 } = OEE_EXAMPLE;
  const verdicts = (from: Date, pass: number, fail: number, noLimit: number) =>
    [...Array(pass + fail + noLimit).keys()].map((i) => ({
      at: new Date(from.getTime() + i * 5 * MIN),
      verdict: i < pass ? ('PASS' as const) : i < pass + fail ? ('FAIL' as const) : ('NO_LIMIT' as const),
    }));
  const { Early, Late, outside } = M2.verdicts;
  return [
    {
      id: 1,
      ideal_cycle_seconds: M1.ideal_cycle_seconds,
      tools: M1.tools,
      stale: M1.stale,
      stops: M1.stops,
      values: { cycle: values(M1.counts, 1), good: values(M1.counts, 2), reject: values(M1.counts, 3) },
    },
    {
      id: 2,
      ideal_cycle_seconds: M2.ideal_cycle_seconds,
      stops: M2.stops,
      values: { cycle: values(M2.counts, 1) },
      verdicts: [
        ...verdicts(Early.from, Early.pass, Early.fail, Early.no_limit),
        ...verdicts(Late.from, Late.pass, Late.fail, Late.no_limit),
        { at: outside, verdict: 'FAIL' },
      ],
    },
  ];
}

function expectFigures(
  actual: OeeFigures,
  expected: Record<string, unknown> & { availability: number; performance: number; quality: number },
) {
  expect(actual).toMatchObject(expected);
  expect(actual.oee).toBeCloseTo(oeeOf(expected), 12);
  expect(actual.reasons).toEqual({ oee: null, availability: null, performance: null, quality: null });
}

describe('the OEE worked example of docs/kpis.md', () => {
  const example = pureOee({ calendar: berlin, ...OEE_EXAMPLE, machines: exampleMachines() });
  const over = (spans: Span[]) => {
    const view = viewOf(example.buckets, spans);
    const machines = example.machines.map((m) => machineFigures(m.time, m.output, view));
    return { machines, line: aggregateFigures(machines) };
  };

  it('gives every figure of M1, M2 and the line computed by hand', () => {
    const { machines, line } = over(example.planned);
    expectFigures(machines[0]!, OEE_EXPECTED.M1);
    expectFigures(machines[1]!, OEE_EXPECTED.M2);
    expectFigures(line, OEE_EXPECTED.line);
    expect(machines[0]!.availability).toBeCloseTo(0.9, 15);
    expect(machines[0]!.performance).toBeCloseTo(0.9, 15);
    expect(line.availability).toBeCloseTo(0.92, 15);
  });

  it('splits into the Early and Late shifts, which add up to the day', () => {
    for (const name of ['Early', 'Late'] as const) {
      const windows = example.named?.find((n) => n.name === name)?.spans ?? [];
      const { line } = over(intersect(example.planned, windows));
      expect(line).toMatchObject(OEE_EXPECTED.shifts[name]);
    }
  });
});

describe('nulls with a reason, never a made-up 100 %', () => {
  const period = { from: new Date('2025-03-03T00:00Z'), to: new Date('2025-03-03T10:00Z') };
  const now = new Date('2025-03-10T00:00Z');
  const at = (hour: number) => new Date(Date.UTC(2025, 2, 3, hour));
  const figuresOf = (machine: Partial<PureMachine>, calendar = aroundTheClock, when = now) => {
    const result = pureOee({
      calendar,
      period,
      now: when,
      machines: [{ id: 1, ideal_cycle_seconds: null, ...machine }],
    });
    const m = result.machines[0]!;
    return machineFigures(m.time, m.output, viewOf(result.buckets, result.planned));
  };

  it('performance: no cycle counter, no ideal cycle time; shown above 1 when the ideal time is too long', () => {
    expect(figuresOf({})).toMatchObject({
      performance: null,
      reasons: { performance: REASONS.noCycleCounter },
    });
    const cycles = [
      [at(0), 0],
      [at(5), 1000],
    ] as const;
    const noIdeal = figuresOf({ values: { cycle: cycles } });
    expect(noIdeal).toMatchObject({
      performance: null,
      cycles_without_ideal_time: 1000,
      reasons: { performance: REASONS.noIdealTime, oee: `performance: ${REASONS.noIdealTime}` },
    });
    expect(noIdeal.oee).toBeNull();
    // 1000 cycles of an ideal 60 s in 10 h (36 000 s): 60 000 ÷ 36 000.
    expect(figuresOf({ ideal_cycle_seconds: 60, values: { cycle: cycles } }).performance).toBe(
      60_000 / 36_000,
    );
  });

  it('availability: no planned time, all of it stale', () => {
    const weekend: SiteCalendar = {
      time_zone: 'UTC',
      shifts: [{ weekday: 6, start: '06:00', end: '14:00' }],
      non_working_dates: [],
    };
    expect(figuresOf({}, weekend)).toMatchObject({
      availability: null,
      reasons: { availability: REASONS.noPlannedTime },
    });
    expect(figuresOf({ stale: [{ start: at(0), end: null }] })).toMatchObject({
      availability: null,
      excluded_seconds: 10 * H,
      reasons: { availability: REASONS.allStale, performance: REASONS.noRunTime },
    });
  });

  it('quality: from verdicts when there are no good/reject counts; null without a reject counter or any data', () => {
    const verdicts = [
      { at: at(1), verdict: 'PASS' as const },
      { at: at(2), verdict: 'PASS' as const },
      { at: at(3), verdict: 'FAIL' as const },
      { at: at(4), verdict: 'NO_LIMIT' as const },
    ];
    expect(figuresOf({ verdicts })).toMatchObject({
      quality: 2 / 3,
      quality_source: 'verdicts',
      good: 2,
      total: 3,
    });
    expect(figuresOf({})).toMatchObject({ quality: null, reasons: { quality: REASONS.noQualityData } });
    const good = [
      [at(0), 10],
      [at(5), 60],
    ] as const;
    expect(figuresOf({ values: { good }, verdicts })).toMatchObject({
      quality: null,
      reasons: { quality: REASONS.noRejectCounter },
    });
    // Good and reject counters: counters win over verdicts.
    expect(
      figuresOf({
        values: {
          good,
          reject: [
            [at(0), 0],
            [at(5), 10],
          ],
        },
        verdicts,
      }),
    ).toMatchObject({
      quality: 50 / 60,
      quality_source: 'counters',
    });
  });

  it('counts a reset counter’s value as its increase', () => {
    const cycles = [
      [at(0), 900],
      [at(2), 1000],
      [at(3), 40],
      [at(4), 100],
    ] as const;
    expect(figuresOf({ ideal_cycle_seconds: 10, values: { cycle: cycles } })).toMatchObject({
      cycles: 100 + 40 + 60,
    });
  });

  it('clips stops at the period edges and counts an open stop up to now', () => {
    const stops = [
      { start: new Date('2025-03-02T23:00Z'), end: at(1), planned: false }, // 1 h inside
      { start: at(9), end: null, planned: false }, // open: up to now (09:30)
    ];
    const running = figuresOf({ stops }, aroundTheClock, new Date('2025-03-03T09:30Z'));
    expect(running).toMatchObject({
      production_seconds: 9.5 * H,
      unplanned_downtime_seconds: 1.5 * H,
      run_seconds: 8 * H,
    });
    expect(running.availability).toBe(8 / 9.5);
  });

  it('does not count downtime twice where stops overlap, or inside stale time or planned stops', () => {
    const f = figuresOf({
      stale: [{ start: at(2), end: at(3) }],
      stops: [
        { start: at(1), end: at(4), planned: false },
        { start: at(3), end: at(5), planned: false },
        { start: at(4), end: at(6), planned: true },
      ],
    });
    // Planned 10 h − stale 1 h − planned stop 2 h = 7 h; down 01–02 and 03–04 = 2 h.
    expect(f).toMatchObject({
      production_seconds: 7 * H,
      unplanned_downtime_seconds: 2 * H,
      run_seconds: 5 * H,
    });
  });
});

describe('properties', () => {
  const hours = fc.integer({ min: 0, max: 48 });
  const interval = fc.tuple(hours, fc.integer({ min: 1, max: 12 })).map(([start, length]) => ({
    start: new Date(Date.UTC(2025, 2, 3, start)),
    end: new Date(Date.UTC(2025, 2, 3, start + length)),
  }));

  it('keeps availability and quality in [0, 1], performance ≥ 0, and the time accounts balanced', () => {
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 4 }),
        fc.array(fc.tuple(interval, fc.boolean()), { maxLength: 6 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 47 }), fc.integer({ min: 0, max: 500 })), {
          maxLength: 10,
        }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 47 }), fc.boolean()), { maxLength: 10 }),
        (stale, stops, cycles, verdicts) => {
          const result = pureOee({
            calendar: berlin,
            period: { from: new Date('2025-03-03T00:00Z'), to: new Date('2025-03-05T00:00Z') },
            now: new Date('2025-03-06T00:00Z'),
            machines: [
              {
                id: 1,
                ideal_cycle_seconds: 30,
                stale,
                stops: stops.map(([s, planned]) => ({ ...s, planned })),
                values: {
                  cycle: [
                    [new Date('2025-03-02T00:00Z'), 0],
                    ...cycles
                      .sort(([a], [b]) => a - b)
                      .map(([h, v], i) => [new Date(Date.UTC(2025, 2, 3, h, i)), v] as const),
                  ],
                },
                verdicts: verdicts.map(([h, pass]) => ({
                  at: new Date(Date.UTC(2025, 2, 3, h)),
                  verdict: pass ? 'PASS' : 'FAIL',
                })),
              },
            ],
          });
          const m = result.machines[0]!;
          const f = machineFigures(m.time, m.output, viewOf(result.buckets, result.planned));
          expect(f.planned_seconds).toBeCloseTo(
            f.excluded_seconds + f.planned_stop_seconds + f.production_seconds,
            6,
          );
          expect(f.production_seconds).toBeCloseTo(f.run_seconds + f.unplanned_downtime_seconds, 6);
          for (const share of [f.availability, f.quality]) {
            if (share === null) continue;
            expect(share).toBeGreaterThanOrEqual(0);
            expect(share).toBeLessThanOrEqual(1);
          }
          if (f.performance !== null) expect(f.performance).toBeGreaterThanOrEqual(0);
          if (f.oee !== null) expect(f.oee).toBeCloseTo(f.availability! * f.performance! * f.quality!, 12);
          else expect(f.reasons.oee).not.toBeNull();
        },
      ),
      { numRuns: 200 },
    );
  });
});
