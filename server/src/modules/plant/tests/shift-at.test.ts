import { describe, expect, it } from 'vitest';
import { dayAt, shiftAt } from '../calendar.windows.ts';

/** The shift "now" of the machine board: the running one, else the last one ended; never merged. */
const calendar = {
  shifts: [1, 2, 3, 4, 5].flatMap((weekday) => [
    { weekday, start: '06:00', end: '14:00', name: 'Early' },
    { weekday, start: '14:00', end: '22:00', name: 'Late' },
    { weekday, start: '22:00', end: '06:00', name: 'Night' },
  ]),
  non_working_dates: ['2026-03-04'],
};
const zone = 'Europe/Berlin';

describe('shiftAt', () => {
  it('finds the running shift, not the day of back-to-back shifts merged', () => {
    expect(shiftAt(calendar, zone, new Date('2026-03-02T14:30:00+01:00'))).toEqual({
      start: new Date('2026-03-02T14:00:00+01:00'),
      end: new Date('2026-03-02T22:00:00+01:00'),
      name: 'Late',
    });
  });

  it('runs a night shift into the next day', () => {
    expect(shiftAt(calendar, zone, new Date('2026-03-03T03:00:00+01:00'))).toMatchObject({
      start: new Date('2026-03-02T22:00:00+01:00'),
      name: 'Night',
    });
  });

  it('gives the last shift that ended when none runs (a non-working day)', () => {
    // Wednesday is a holiday: Tuesday's night shift (22:00–06:00) was the last one.
    expect(shiftAt(calendar, zone, new Date('2026-03-04T12:00:00+01:00'))).toMatchObject({
      start: new Date('2026-03-03T22:00:00+01:00'),
      end: new Date('2026-03-04T06:00:00+01:00'),
      name: 'Night',
    });
  });

  it('is null with no shift in the week before, and the local day stands in', () => {
    expect(shiftAt({ shifts: [], non_working_dates: [] }, zone, new Date())).toBeNull();
    expect(dayAt(zone, new Date('2026-03-02T23:30:00Z'))).toEqual({
      start: new Date('2026-03-03T00:00:00+01:00'),
      end: new Date('2026-03-04T00:00:00+01:00'),
      name: null,
    });
  });
});
