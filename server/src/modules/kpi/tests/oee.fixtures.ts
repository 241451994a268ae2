/**
 * The OEE worked example of docs/kpis.md: line L1 with machines M1 and M2 on Monday 3 March 2025 in
 * Europe/Berlin (UTC+1), shifts Early 06:00–14:00 and Late 14:00–22:00 on weekdays. The unit tests
 * compute it with the pure functions, the integration test puts it in through the services and asks
 * GET /kpi/oee; both assert the numbers below.
 */

/** A local Berlin wall-clock time in March 2025 (UTC+1). */
export const local = (wallClock: string) => new Date(`${wallClock}+01:00`);

export const CALENDAR = {
  shifts: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: '06:00', end: '14:00', name: 'Early' },
    { weekday, start: '14:00', end: '22:00', name: 'Late' },
  ]),
  non_working_dates: [] as string[],
};

export interface ExampleStop {
  start: Date;
  end: Date | null;
  planned: boolean;
  reason: string | null;
}

/** [instant, cycle counter, good counter, reject counter] as the machine reports them. */
export type ExampleCount = [Date, number, number | null, number | null];

export const OEE_EXAMPLE = {
  timeZone: 'Europe/Berlin',
  period: { from: local('2025-03-03T00:00'), to: local('2025-03-04T00:00') },
  now: local('2025-03-05T12:00'),
  M1: {
    ideal_cycle_seconds: 20,
    tools: [
      { code: 'T-A', ideal: 30, mounted: local('2025-03-02T20:00'), removed: local('2025-03-03T14:00') },
      { code: 'T-B', ideal: 24, mounted: local('2025-03-03T15:00'), removed: null },
    ],
    stale: [
      {
        source: 'opcua',
        reason: 'connection lost',
        start: local('2025-03-03T12:00'),
        end: local('2025-03-03T13:00'),
      },
    ],
    stops: [
      // Began before the Early shift: 06:00–06:30 counts.
      {
        start: local('2025-03-03T05:30'),
        end: local('2025-03-03T06:30'),
        planned: false,
        reason: 'MECH_JAM',
      },
      // Overlaps the stale hour: 13:00–13:24 counts.
      {
        start: local('2025-03-03T12:30'),
        end: local('2025-03-03T13:24'),
        planned: false,
        reason: 'ELEC_FAULT',
      },
      {
        start: local('2025-03-03T18:00'),
        end: local('2025-03-03T19:00'),
        planned: true,
        reason: 'PLANNED_MAINTENANCE',
      },
      // Still open: counts to the end of the Late shift.
      { start: local('2025-03-03T21:30'), end: null, planned: false, reason: null },
    ] satisfies ExampleStop[],
    counts: [
      [local('2025-03-02T23:30'), 1000, 5000, 200], // the first values ever: the baseline
      [local('2025-03-03T10:00'), 1400, 5380, 220],
      [local('2025-03-03T12:00'), 1700, 5665, 235], // read as the connection was lost: still seen
      [local('2025-03-03T13:00'), 1820, 5779, 241], // after the reconnect: covers the stale hour, left out
      [local('2025-03-03T13:59'), 1920, 5875, 245],
      [local('2025-03-03T14:30'), 60, 57, 3], // the controller restarted: counters reset
      [local('2025-03-03T16:00'), 360, 342, 18],
      [local('2025-03-03T18:00'), 560, 532, 28],
      [local('2025-03-03T21:30'), 711, 675, 36],
      [local('2025-03-03T22:30'), 761, 723, 38], // after the Late shift: not counted
    ] satisfies ExampleCount[],
  },
  M2: {
    ideal_cycle_seconds: 45,
    stops: [
      { start: local('2025-03-03T08:00'), end: local('2025-03-03T09:00'), planned: false, reason: null },
    ] satisfies ExampleStop[],
    counts: [
      [local('2025-03-02T23:00'), 0, null, null],
      [local('2025-03-03T13:59'), 500, null, null],
      [local('2025-03-03T21:59'), 1000, null, null],
    ] satisfies ExampleCount[],
    /** Test verdicts per shift (NO_LIMIT results are not judged), plus a FAIL after the Late shift. */
    verdicts: {
      Early: { pass: 48, fail: 2, no_limit: 3, from: local('2025-03-03T06:10') },
      Late: { pass: 47, fail: 3, no_limit: 0, from: local('2025-03-03T14:10') },
      outside: local('2025-03-03T23:00'),
    },
  },
} as const;

const H = 3600;

/** Every figure of the example, by hand (docs/kpis.md, "OEE worked example"). */
export const OEE_EXPECTED = {
  M1: {
    planned_seconds: 16 * H,
    excluded_seconds: 1 * H,
    planned_stop_seconds: 1 * H,
    production_seconds: 14 * H, // 50 400
    unplanned_downtime_seconds: 84 * 60, // 30 + 24 + 30 min = 5 040
    run_seconds: 45_360,
    cycles: 1511, // 400 + 300 + 100 (T-A) + 60 (machine) + 300 + 200 + 151 (T-B)
    ideal_seconds: 40_824, // 800 × 30 + 60 × 20 + 651 × 24
    cycles_without_ideal_time: 0,
    excluded_cycles: 120,
    quality_source: 'counters',
    good: 1436,
    total: 1511,
    availability: 45_360 / 50_400, // 0.9
    performance: 40_824 / 45_360, // 0.9
    quality: 1436 / 1511, // 0.95036…
  },
  M2: {
    planned_seconds: 16 * H,
    excluded_seconds: 0,
    planned_stop_seconds: 0,
    production_seconds: 16 * H,
    unplanned_downtime_seconds: 1 * H,
    run_seconds: 15 * H,
    cycles: 1000,
    ideal_seconds: 45_000,
    cycles_without_ideal_time: 0,
    excluded_cycles: 0,
    quality_source: 'verdicts',
    good: 95,
    total: 100,
    availability: 54_000 / 57_600, // 0.9375
    performance: 45_000 / 54_000, // 0.8333…
    quality: 95 / 100,
  },
  line: {
    planned_seconds: 32 * H,
    excluded_seconds: 1 * H,
    planned_stop_seconds: 1 * H,
    production_seconds: 108_000,
    unplanned_downtime_seconds: 8640,
    run_seconds: 99_360,
    cycles: 2511,
    ideal_seconds: 85_824,
    cycles_without_ideal_time: 0,
    excluded_cycles: 120,
    quality_source: 'mixed',
    good: 1531,
    total: 1611,
    availability: 99_360 / 108_000, // 0.92
    performance: 85_824 / 99_360, // 0.86377…
    quality: 1531 / 1611, // 0.95034…
  },
  shifts: {
    Early: { production_seconds: 54_000, run_seconds: 47_160, ideal_seconds: 46_500, good: 809, total: 850 },
    Late: { production_seconds: 54_000, run_seconds: 52_200, ideal_seconds: 39_324, good: 722, total: 761 },
  },
} as const;

/** availability × performance × quality, multiplied in that order as the code does. */
export const oeeOf = (f: { availability: number; performance: number; quality: number }) =>
  f.availability * f.performance * f.quality;
