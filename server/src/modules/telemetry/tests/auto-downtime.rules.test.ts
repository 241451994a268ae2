import { describe, expect, it } from 'vitest';
import { planSplit } from '../../maintenance/unexplained.split.ts';
import {
  clipToPlanned,
  countMicroStops,
  proposeStop,
  stopRuns,
  type StopCandidate,
} from '../auto-downtime.rules.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 2, 2, 6, 0) + minutes * 60_000);

const candidate = (overrides: Partial<StopCandidate>): StopCandidate => ({
  machine_id: 1,
  site_id: 1,
  state: null,
  state_started_at: null,
  stop_started_at: null,
  last_cycle_at: null,
  stop_threshold_seconds: 120,
  no_cycle_factor: 3,
  ideal_cycle_seconds: null,
  stale: false,
  ...overrides,
});

describe('automatic downtime rules', () => {
  it('proposes a state stop from the start of its run, or from a later cycle', () => {
    expect(
      proposeStop(candidate({ state: 'fault', state_started_at: at(5), stop_started_at: at(2) })),
    ).toEqual({
      start: at(2),
      limit_seconds: 120,
      cause: 'fault',
    });
    expect(
      proposeStop(
        candidate({ state: 'idle', state_started_at: at(5), stop_started_at: at(2), last_cycle_at: at(3) }),
      )?.start,
    ).toEqual(at(3));
    expect(proposeStop(candidate({ state: 'stopped', stop_started_at: at(2), stale: true }))).toBeNull();
  });

  it('proposes a no-cycle stop only with an ideal cycle time and a cycle, while running or unknown', () => {
    const base = { ideal_cycle_seconds: 20, last_cycle_at: at(1) };
    expect(proposeStop(candidate({ ...base, state: 'running' }))).toEqual({
      start: at(1),
      limit_seconds: 60,
      cause: 'no_cycle',
    });
    expect(proposeStop(candidate({ ...base, state: null }))?.cause).toBe('no_cycle');
    expect(proposeStop(candidate({ ...base, state: 'unknown' }))?.cause).toBe('no_cycle');
    expect(proposeStop(candidate({ state: 'running', last_cycle_at: at(1) }))).toBeNull();
    expect(proposeStop(candidate({ state: 'running', ideal_cycle_seconds: 20 }))).toBeNull();
  });

  it('counts a stop against planned windows only', () => {
    expect(clipToPlanned(at(0), at(10), null, 120)).toEqual({ start: at(0), end: at(10) });
    expect(clipToPlanned(at(0), at(1), null, 120)).toBeNull();
    const windows = [
      { start: at(5), end: at(6) },
      { start: at(8), end: at(9) },
    ];
    expect(clipToPlanned(at(0), at(10), windows, 120)).toEqual({ start: at(5), end: at(9) });
    expect(clipToPlanned(at(0), at(10), windows, 121)).toBeNull();
    expect(clipToPlanned(at(0), at(10), [], 1)).toBeNull();
  });

  it('joins consecutive stop states into one stop and counts the short ones', () => {
    const periods = [
      { state: 'running', started_at: at(0), ended_at: at(10) },
      { state: 'stopped', started_at: at(10), ended_at: at(10.5) },
      { state: 'fault', started_at: at(10.5), ended_at: at(11) },
      { state: 'running', started_at: at(11), ended_at: at(20) },
      { state: 'setup', started_at: at(20), ended_at: at(30) },
      { state: 'unknown', started_at: at(30), ended_at: at(31) },
      { state: 'idle', started_at: at(31), ended_at: null },
    ];
    expect(stopRuns(periods)).toEqual([
      { start: at(10), end: at(11) },
      { start: at(20), end: at(30) },
      { start: at(31), end: null },
    ]);
    expect(countMicroStops(periods, at(0), at(60), 120)).toEqual({
      count: 1,
      total_seconds: 60,
      threshold_seconds: 120,
    });
    expect(countMicroStops(periods, at(10.5), at(60), 120).count).toBe(0); // began before the period
  });

  it('splits a stop into parts that cover it exactly', () => {
    const stop = { start_at: at(0), end_at: at(10) };
    const parts = planSplit(
      stop,
      { parts: [{ until: at(3), reason_id: 1 }, { until: at(7), reason_id: null }, { reason_id: 2 }] },
      at(60),
    );
    expect(parts.map((p) => [p.start, p.end])).toEqual([
      [at(0), at(3)],
      [at(3), at(7)],
      [at(7), at(10)],
    ]);
    const open = planSplit(
      { start_at: at(0), end_at: null },
      { parts: [{ until: at(3), reason_id: 1 }, { reason_id: null }] },
      at(5),
    );
    expect(open.at(-1)?.end).toBeNull();
    expect(() =>
      planSplit(
        { start_at: at(0), end_at: null },
        { parts: [{ until: at(6), reason_id: 1 }, { reason_id: null }] },
        at(5),
      ),
    ).toThrow(/before now/);
  });
});
