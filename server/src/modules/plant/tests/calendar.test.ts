import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, buildUser } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('shift calendars in KPIs', () => {
  it('plans around the clock by default, and counts only planned time once a calendar is set', async () => {
    const site = await buildSite(h, { time_zone: 'UTC' });
    const line = await buildLine(h, site.id);
    const machine = await buildMachine(h, line.id);
    // Monday 2026-03-02: a stop 04:00–08:00, of which 06:00–08:00 falls in the early shift.
    const stop = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: h.adminToken,
      payload: {
        machine_id: machine.id,
        start_datetime: '2026-03-02T04:00:00Z',
        end_datetime: '2026-03-02T08:00:00Z',
      },
    });
    expect(stop.statusCode).toBe(201);
    const kpis = async () =>
      (
        await h.request({
          method: 'GET',
          url: `/kpis?machine_id=${machine.id}&from=2026-03-02T00:00:00Z&to=2026-03-03T00:00:00Z`,
          token: h.adminToken,
        })
      ).json();

    const roundTheClock = await kpis();
    expect(roundTheClock.planned_seconds).toBe(24 * 3600);
    expect(roundTheClock.downtime.unplanned_seconds).toBe(4 * 3600);
    expect(roundTheClock.availability).toBeCloseTo(20 / 24, 10);
    expect(
      (
        await h.request({ method: 'GET', url: `/sites/${site.id}/shift-calendar`, token: h.adminToken })
      ).json(),
    ).toMatchObject({ around_the_clock: true, planned_hours_per_week: 168 });

    const early = [1, 2, 3, 4, 5].map((weekday) => ({
      weekday,
      start: '06:00',
      end: '14:00',
      name: 'Early',
    }));
    const saved = await h.request({
      method: 'PUT',
      url: `/sites/${site.id}/shift-calendar`,
      token: h.adminToken,
      payload: { shifts: early },
    });
    expect(saved.json()).toMatchObject({ around_the_clock: false, planned_hours_per_week: 40 });

    const withShifts = await kpis();
    expect(withShifts.planned_seconds).toBe(8 * 3600);
    expect(withShifts.downtime.unplanned_seconds).toBe(2 * 3600);
    expect(withShifts.availability).toBeCloseTo(6 / 8, 10);
    expect(withShifts.mttr_hours).toBeCloseTo(2, 10);
  });

  it('lets only catalog managers of the site change a calendar, with clear errors', async () => {
    const site = await buildSite(h);
    const manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    const refused = await h.request({
      method: 'PUT',
      url: `/sites/${site.id}/shift-calendar`,
      token: manager.token,
      payload: { shifts: [] },
    });
    expect(refused.statusCode).toBe(403);
    const bad = await h.request({
      method: 'PUT',
      url: `/sites/${site.id}/shift-calendar`,
      token: h.adminToken,
      payload: { shifts: [{ weekday: 8, start: '25:00', end: '14:00' }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'body.shifts.0.weekday',
      'body.shifts.0.start',
    ]);
  });
});
