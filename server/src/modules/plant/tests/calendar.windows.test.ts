import { describe, expect, it } from 'vitest';
import { plannedWindows, windowSeconds } from '../calendar.windows.ts';

const hours = (windows: ReturnType<typeof plannedWindows>) => windowSeconds(windows) / 3600;
const twoShifts = [1, 2, 3, 4, 5].flatMap((weekday) => [
  { weekday, start: '06:00', end: '14:00' },
  { weekday, start: '14:00', end: '22:00' },
]);

describe('shift calendar windows', () => {
  it('gives 80 hours for a week of two 8-hour shifts on weekdays, merged into one window a day', () => {
    const windows = plannedWindows(
      { shifts: twoShifts, non_working_dates: [] },
      'Europe/Berlin',
      new Date('2026-03-02T00:00:00+01:00'),
      new Date('2026-03-09T00:00:00+01:00'),
    );
    expect(hours(windows)).toBe(80);
    expect(windows).toHaveLength(5);
    expect(windows[0]).toEqual({
      start: new Date('2026-03-02T05:00:00Z'),
      end: new Date('2026-03-02T21:00:00Z'),
    });
  });

  it('runs a night shift past midnight, including the one that began the evening before the period', () => {
    const nights = [
      { weekday: 7, start: '22:00', end: '06:00' },
      { weekday: 1, start: '22:00', end: '06:00' },
    ];
    const windows = plannedWindows(
      { shifts: nights, non_working_dates: [] },
      'UTC',
      new Date('2026-03-02T00:00:00Z'),
      new Date('2026-03-03T00:00:00Z'),
    );
    // Sunday 22:00 → Monday 06:00 (6 h inside Monday) and Monday 22:00 → 24:00 (2 h).
    expect(hours(windows)).toBe(8);
  });

  it('keeps wall-clock hours across daylight saving: the night the clocks go forward is an hour shorter', () => {
    const nights = [{ weekday: 6, start: '22:00', end: '06:00' }];
    const windows = plannedWindows(
      { shifts: nights, non_working_dates: [] },
      'Europe/Berlin',
      new Date('2026-03-28T00:00:00Z'),
      new Date('2026-03-30T00:00:00Z'),
    );
    expect(hours(windows)).toBe(7);
  });

  it('skips non-working dates and clips at the period edges', () => {
    const calendar = { shifts: twoShifts, non_working_dates: ['2026-03-03'] };
    const windows = plannedWindows(
      calendar,
      'UTC',
      new Date('2026-03-02T10:00:00Z'),
      new Date('2026-03-04T12:00:00Z'),
    );
    // Monday 10:00–22:00 (12 h), Tuesday off, Wednesday 06:00–12:00 (6 h).
    expect(hours(windows)).toBe(18);
  });
});
