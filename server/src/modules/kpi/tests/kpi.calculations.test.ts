import { describe, expect, it } from 'vitest';
import {
  aggregateIntervals,
  clippedSeconds,
  computeKpis,
  NOTES,
  plannedSecondsAroundTheClock,
  type DowntimeInterval,
  type KpiPeriod,
  type KpiReason,
} from '../kpi.calculations.ts';
import { WORKED_EXAMPLE, reason } from './kpi.fixtures.ts';

const H = 3600;
const at = (iso: string) => new Date(`${iso}Z`);
const period: KpiPeriod = { from: at('2025-03-03T06:00'), to: at('2025-03-04T06:00') };
const after = at('2025-03-05T00:00');
const breakdown = reason('MECH_BREAKDOWN', 'mechanical', true);
const shortage = reason('MAT_SHORTAGE', 'material', false);

function stop(
  start: string,
  end: string | null,
  why: KpiReason | null = breakdown,
  planned = false,
): DowntimeInterval {
  return { start: at(start), end: end === null ? null : at(end), planned, reason: why };
}

function kpisOf(
  intervals: DowntimeInterval[],
  options: { machines?: number; now?: Date; range?: KpiPeriod } = {},
) {
  const range = options.range ?? period;
  const now = options.now ?? after;
  const plannedSeconds = plannedSecondsAroundTheClock(options.machines ?? 1, range, now);
  return computeKpis({
    period: range,
    now,
    plannedSeconds,
    totals: aggregateIntervals(intervals, range, now),
  });
}

describe('clipping', () => {
  it('clips a stop that began before the period at from', () => {
    expect(clippedSeconds(stop('2025-03-03T04:00', '2025-03-03T07:30'), period, after)).toBe(1.5 * H);
  });

  it('clips a stop that ends after the period at to', () => {
    expect(clippedSeconds(stop('2025-03-04T05:00', '2025-03-04T07:00'), period, after)).toBe(1 * H);
  });

  it('leaves out stops that only touch the edges (the period is half-open)', () => {
    expect(clippedSeconds(stop('2025-03-03T05:00', '2025-03-03T06:00'), period, after)).toBeNull();
    expect(clippedSeconds(stop('2025-03-04T06:00', '2025-03-04T07:00'), period, after)).toBeNull();
  });

  it('counts an open stop up to now, and an open stop older than the period from from', () => {
    const now = at('2025-03-03T20:00');
    expect(clippedSeconds(stop('2025-03-03T18:00', null), period, now)).toBe(2 * H);
    expect(clippedSeconds(stop('2025-03-01T00:00', null), period, now)).toBe(14 * H);
  });

  it('counts a stop spanning the whole period as the whole period', () => {
    const kpis = kpisOf([stop('2025-03-01T00:00', '2025-03-10T00:00')]);
    expect(kpis.downtime).toEqual({
      total_seconds: 24 * H,
      count: 1,
      planned_seconds: 0,
      unplanned_seconds: 24 * H,
    });
    expect(kpis).toMatchObject({
      planned_seconds: 24 * H,
      availability: 0,
      failures: 1,
      mttr_hours: 24,
      mtbf_hours: 0,
    });
  });
});

describe('a period partly in the future', () => {
  it('ends at now: the future is neither planned nor down', () => {
    const now = at('2025-03-03T18:00');
    const kpis = kpisOf([stop('2025-03-03T15:00', null)], { machines: 2, now });
    expect(kpis.period.effective_to).toEqual(now);
    // 2 machines × 12 h; the open stop counts 15:00–18:00.
    expect(kpis.planned_seconds).toBe(24 * H);
    expect(kpis.downtime.unplanned_seconds).toBe(3 * H);
    expect(kpis.availability).toBe(21 / 24);
    expect(kpis.mttr_hours).toBe(3);
    expect(kpis.mtbf_hours).toBe(21);
    expect(kpis.notes).toContain(NOTES.countedToNow);
  });

  it('has no planned time before it starts: availability null, with notes', () => {
    const kpis = kpisOf([], { now: at('2025-03-01T00:00') });
    expect(kpis.period.effective_to).toEqual(period.from);
    expect(kpis).toMatchObject({
      planned_seconds: 0,
      availability: null,
      mttr_hours: null,
      mtbf_hours: null,
    });
    expect(kpis.notes).toEqual([NOTES.notStarted, NOTES.noPlannedTime, NOTES.noFailures]);
  });
});

describe('what counts where', () => {
  it('leaves a planned stop out of availability, MTTR and MTBF but in the downtime total', () => {
    const kpis = kpisOf([stop('2025-03-03T08:00', '2025-03-03T12:00', null, true)]);
    expect(kpis.downtime).toEqual({
      total_seconds: 4 * H,
      count: 1,
      planned_seconds: 4 * H,
      unplanned_seconds: 0,
    });
    expect(kpis).toMatchObject({
      availability: 1,
      failures: 0,
      mttr_hours: null,
      mtbf_hours: null,
      pareto: [],
    });
  });

  it('counts a non-failure stop in availability but not in MTTR or MTBF', () => {
    const kpis = kpisOf([
      stop('2025-03-03T08:00', '2025-03-03T14:00'),
      stop('2025-03-03T16:00', '2025-03-03T19:00', shortage),
    ]);
    expect(kpis.downtime.unplanned_seconds).toBe(9 * H);
    expect(kpis.availability).toBe(15 / 24);
    expect(kpis.failures).toBe(1);
    expect(kpis.mttr_hours).toBe(6);
    expect(kpis.mtbf_hours).toBe(15);
  });

  it('answers null MTTR and MTBF with a note when nothing failed', () => {
    const kpis = kpisOf([stop('2025-03-03T08:00', '2025-03-03T10:00', shortage)]);
    expect(kpis).toMatchObject({ failures: 0, mttr_hours: null, mtbf_hours: null, availability: 22 / 24 });
    expect(kpis.notes).toEqual([NOTES.noFailures]);
  });

  it('counts a stop without a reason as a failure, and says so', () => {
    const kpis = kpisOf([stop('2025-03-03T08:00', '2025-03-03T10:00', null)]);
    expect(kpis).toMatchObject({ failures: 1, mttr_hours: 2, mtbf_hours: 22 });
    expect(kpis.notes).toEqual([NOTES.unexplained]);
    expect(kpis.pareto).toEqual([{ reason: null, seconds: 2 * H, count: 1, share: 1, cumulative_share: 1 }]);
  });

  it('answers null availability with a note when no machine is planned', () => {
    const kpis = kpisOf([], { machines: 0 });
    expect(kpis).toMatchObject({ planned_seconds: 0, availability: null });
    expect(kpis.notes).toEqual([NOTES.noPlannedTime, NOTES.noFailures]);
  });

  it('adds overlapping stops of different machines of a line, each against its own planned time', () => {
    // Machine 1 stops 08:00–14:00, machine 2 10:00–12:00: 8 h down out of 2 × 24 h.
    const kpis = kpisOf(
      [stop('2025-03-03T08:00', '2025-03-03T14:00'), stop('2025-03-03T10:00', '2025-03-03T12:00')],
      {
        machines: 2,
      },
    );
    expect(kpis.downtime).toMatchObject({ total_seconds: 8 * H, count: 2 });
    expect(kpis).toMatchObject({
      planned_seconds: 48 * H,
      availability: 40 / 48,
      failures: 2,
      mttr_hours: 4,
      mtbf_hours: 20,
    });
  });
});

describe('the worked example of docs/kpis.md', () => {
  it('gives every figure computed by hand', () => {
    const { period: range, now, machines, stops, expected } = WORKED_EXAMPLE;
    const plannedSeconds = plannedSecondsAroundTheClock(machines, range, now);
    const kpis = computeKpis({
      period: range,
      now,
      plannedSeconds,
      totals: aggregateIntervals(stops, range, now),
    });
    expect(kpis.period.effective_to).toEqual(range.to);
    expect(kpis.planned_seconds).toBe(expected.planned_seconds);
    expect(kpis.downtime).toEqual(expected.downtime);
    expect(kpis.failures).toBe(expected.failures);
    expect(kpis.mttr_hours).toBe(expected.mttr_hours);
    expect(kpis.mtbf_hours).toBe(expected.mtbf_hours);
    expect(kpis.availability).toBe(expected.availability);
    expect(kpis.notes).toEqual([NOTES.unexplained]);
    expect(kpis.pareto.map((entry) => [entry.reason?.code ?? null, entry.seconds, entry.count])).toEqual(
      expected.pareto,
    );
    expect(kpis.pareto.map((entry) => entry.share)).toEqual(
      expected.shares.map((share) => expect.closeTo(share, 10)),
    );
    expect(kpis.pareto.map((entry) => entry.cumulative_share)).toEqual(
      expected.cumulative.map((share) => expect.closeTo(share, 10)),
    );
  });
});

describe('pre-aggregated sums (the SQL path)', () => {
  it('gives the same answer as the intervals they came from', () => {
    const { period: range, now, machines, stops } = WORKED_EXAMPLE;
    const plannedSeconds = plannedSecondsAroundTheClock(machines, range, now);
    const totals = aggregateIntervals(stops, range, now);
    const reversed = computeKpis({ period: range, now, plannedSeconds, totals: [...totals].reverse() });
    expect(reversed).toEqual(computeKpis({ period: range, now, plannedSeconds, totals }));
  });

  it('merges rows of one reason that arrive planned and unplanned into the Pareto only once, unplanned', () => {
    const kpis = computeKpis({
      period,
      now: after,
      plannedSeconds: 24 * H,
      totals: [
        { planned: false, reason: shortage, seconds: 2 * H, count: 2 },
        { planned: true, reason: shortage, seconds: 5 * H, count: 1 },
      ],
    });
    expect(kpis.pareto).toEqual([
      {
        reason: expect.objectContaining({ code: 'MAT_SHORTAGE' }),
        seconds: 2 * H,
        count: 2,
        share: 1,
        cumulative_share: 1,
      },
    ]);
    expect(kpis.downtime).toEqual({
      total_seconds: 7 * H,
      count: 3,
      planned_seconds: 5 * H,
      unplanned_seconds: 2 * H,
    });
  });
});
