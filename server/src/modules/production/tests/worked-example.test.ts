import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, buildUser, type UserRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { metricsOf, summarise } from '../production.rules.ts';

/** The worked example of docs/kpis.md, "Production: delay, efficiency, on time". */
const DAY = '2026-03-03';
const at = (time: string) => `${DAY}T${time}:00Z`;
const WO1 = [
  { stage_name: 'moulding', planned: ['06:00', '08:00'], actual: ['06:10', '08:40'] },
  { stage_name: 'deburring', planned: ['08:00', '10:00'], actual: ['08:40', '10:10'] },
  { stage_name: 'assembly', planned: ['10:00', '12:00'], actual: ['10:10', '12:10'] },
  { stage_name: 'packing', planned: ['12:00', '14:00'], actual: ['12:10', '13:40'] },
] as const;

const window = (planned: readonly string[], actual: readonly (string | null)[]) => ({
  planned_start: new Date(at(planned[0] ?? '')),
  planned_end: new Date(at(planned[1] ?? '')),
  actual_start: actual[0] ? new Date(at(actual[0])) : null,
  actual_end: actual[1] ? new Date(at(actual[1])) : null,
});

describe('the production worked example of docs/kpis.md', () => {
  it('gives every stage figure computed by hand', () => {
    const figures = WO1.map((stage) => metricsOf(window(stage.planned, stage.actual)));
    expect(
      figures.map((m) => [m.planned_minutes, m.actual_minutes, m.delay_minutes, m.efficiency_pct, m.on_time]),
    ).toEqual([
      [120, 150, 30, 80, false],
      [120, 90, -30, 133.33, true],
      [120, 120, 0, 100, true],
      [120, 90, -30, 133.33, true],
    ]);
    const running = metricsOf(window(['14:00', '16:00'], ['14:05', null]));
    expect(running).toMatchObject({
      actual_minutes: null,
      efficiency_pct: null,
      on_time: null,
      reason: 'not_finished',
    });
    expect(summarise([...figures, running])).toEqual({
      finished: 4,
      with_windows: 4,
      on_time: 3,
      on_time_pct: 75,
      avg_delay_minutes: -7.5,
      efficiency_pct: 106.67,
    });
    expect(metricsOf(window(['06:00', '14:00'], ['06:10', '13:40']))).toMatchObject({
      planned_minutes: 480,
      actual_minutes: 450,
      delay_minutes: -30,
      efficiency_pct: 106.67,
      on_time: true,
      reason: null,
    });
  });

  describe('through the REST API', () => {
    let h: Harness;
    let planner: UserRecord;
    let siteId: number;
    let wo1: number;

    beforeAll(async () => {
      h = await createHarness();
      siteId = (await buildSite(h, { time_zone: 'UTC' })).id;
      planner = await buildUser(h, { role: 'planner', site_ids: [siteId] });
      const post = (url: string, payload: object) =>
        h.request({ method: 'POST', url, token: planner.token, payload });
      const created = await post('/workorders/', {
        product_code: 'PX-100',
        lot_no: 'WO-1',
        qty: 500,
        planned_start: at('06:00'),
        planned_end: at('14:00'),
        stages: WO1.map((s) => ({
          stage_name: s.stage_name,
          planned_start: at(s.planned[0]),
          planned_end: at(s.planned[1]),
        })),
      });
      expect(created.statusCode).toBe(201);
      wo1 = created.json().id;
      const stages = (
        await h.request({ method: 'GET', url: `/workorders/${wo1}/stages`, token: planner.token })
      ).json();
      for (const [index, stage] of WO1.entries()) {
        const id = stages[index].id;
        expect((await post(`/stages/${id}/start`, { actual_start: at(stage.actual[0]) })).statusCode).toBe(
          200,
        );
        expect((await post(`/stages/${id}/done`, { actual_end: at(stage.actual[1]) })).statusCode).toBe(200);
      }
      const wo2 = await post('/workorders/', {
        product_code: 'PX-100',
        lot_no: 'WO-2',
        qty: 100,
        planned_start: at('14:00'),
        planned_end: at('16:00'),
        stages: [{ stage_name: 'moulding' }],
      });
      const wo2Stage = (
        await h.request({ method: 'GET', url: `/workorders/${wo2.json().id}/stages`, token: planner.token })
      ).json()[0];
      expect((await post(`/stages/${wo2Stage.id}/start`, { actual_start: at('14:05') })).statusCode).toBe(
        200,
      );
    });
    afterAll(() => h.close());

    it('answers the work order figures', async () => {
      const metrics = (
        await h.request({ method: 'GET', url: `/workorders/${wo1}/metrics`, token: planner.token })
      ).json();
      expect(metrics).toMatchObject({
        status: 'done',
        planned_minutes: 480,
        actual_minutes: 450,
        delay_minutes: -30,
        efficiency_pct: 106.67,
        on_time: true,
      });
      expect(metrics.stages.map((s: { efficiency_pct: number }) => s.efficiency_pct)).toEqual([
        80, 133.33, 100, 133.33,
      ]);
    });

    it('answers the period figures per stage and per work order', async () => {
      const period = `site_id=${siteId}&from=${DAY}T00:00:00Z&to=2026-03-04T00:00:00Z`;
      const stages = (
        await h.request({
          method: 'GET',
          url: `/production/metrics?${period}&level=stage`,
          token: planner.token,
        })
      ).json();
      expect(stages).toMatchObject({
        finished: 4,
        with_windows: 4,
        on_time: 3,
        on_time_pct: 75,
        avg_delay_minutes: -7.5,
        efficiency_pct: 106.67,
        reason: null,
      });
      expect(stages.buckets).toHaveLength(1);
      expect(stages.buckets[0]).toMatchObject({
        bucket_start: `${DAY}T00:00:00.000Z`,
        finished: 4,
        on_time_pct: 75,
      });
      const orders = (
        await h.request({ method: 'GET', url: `/production/metrics?${period}`, token: planner.token })
      ).json();
      expect(orders).toMatchObject({
        finished: 1,
        on_time_pct: 100,
        avg_delay_minutes: -30,
        efficiency_pct: 106.67,
      });
    });
  });
});
