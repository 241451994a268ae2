import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildSite, buildUser, type SiteRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { buildWorkOrder, runStage, stagesOf, type Stage, type WorkOrder } from './production.fixtures.ts';

/**
 * Hand-computed figures. Metric definitions: delay = actual − planned duration (minutes);
 * efficiency % = planned ÷ actual × 100; on time = delay ≤ 0; summary efficiency = Σplanned ÷ Σactual.
 *
 * Day D (UTC) is five days ago; every actual time is in the past.
 *
 * WO1 (P-A), planned D 08:00–11:00 (180 min):
 *   A planned 08:00–10:00 (120), actual 08:00–10:30 (150): delay 30, eff 80, late
 *   B planned 10:00–11:00 (60),  actual 10:30–11:15 (45):  delay −15, eff 133.33, on time
 *   order actual 08:00–11:15 (195): delay 15, eff 92.31, late
 * WO2 (P-B), planned D+1 08:00–12:00 (240):
 *   C planned 08:00–10:00 (120), actual 08:00–09:40 (100): delay −20, eff 120, on time
 *   D planned 10:00–12:00 (120), actual 09:40–11:40 (120): delay 0, eff 100, on time (delay ≤ 0)
 *   order actual 08:00–11:40 (220): delay −20, eff 109.09, on time
 * WO3 (P-A), planned D+1 13:00–16:00, still running:
 *   E planned 13:00–14:00 (60), actual 13:00–14:30 (90): delay 30, eff 66.67, late
 *   F never started
 *   G planned window removed, actual 15:00–15:20 (20): no_planned_window
 */
let h: Harness;
let site: SiteRecord;
let D: Date;
const at = (dayOffset: number, time: string) => {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return new Date(D.getTime() + dayOffset * 86_400_000 + (hours * 60 + minutes) * 60_000).toISOString();
};

let wo1: WorkOrder;
let wo2: WorkOrder;
let wo3: WorkOrder;
let stagesByName: Record<string, Stage>;

async function orderWith(
  product: string,
  window: [string, string],
  stages: { stage_name: string; planned_start: string; planned_end: string }[],
) {
  const order = await buildWorkOrder(h, {
    site_id: site.id,
    product_code: product,
    planned_start: window[0],
    planned_end: window[1],
    stages,
  });
  const created = await stagesOf(h, order.id);
  for (const stage of created) stagesByName[stage.stage_name] = stage;
  return order;
}

const get = async (url: string) => {
  const response = await h.request({ method: 'GET', url, token: h.adminToken });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};
const summary = (query: string) => get(`/production/metrics?site_id=${site.id}&${query}`);

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h, { time_zone: 'UTC' });
  const today = new Date();
  D = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - 5));
  stagesByName = {};

  wo1 = await orderWith(
    'P-A',
    [at(0, '08:00'), at(0, '11:00')],
    [
      { stage_name: 'A', planned_start: at(0, '08:00'), planned_end: at(0, '10:00') },
      { stage_name: 'B', planned_start: at(0, '10:00'), planned_end: at(0, '11:00') },
    ],
  );
  await runStage(h, stagesByName.A!.id, at(0, '08:00'), at(0, '10:30'));
  await runStage(h, stagesByName.B!.id, at(0, '10:30'), at(0, '11:15'));

  wo2 = await orderWith(
    'P-B',
    [at(1, '08:00'), at(1, '12:00')],
    [
      { stage_name: 'C', planned_start: at(1, '08:00'), planned_end: at(1, '10:00') },
      { stage_name: 'D', planned_start: at(1, '10:00'), planned_end: at(1, '12:00') },
    ],
  );
  await runStage(h, stagesByName.C!.id, at(1, '08:00'), at(1, '09:40'));
  await runStage(h, stagesByName.D!.id, at(1, '09:40'), at(1, '11:40'));

  wo3 = await orderWith(
    'P-A',
    [at(1, '13:00'), at(1, '16:00')],
    [
      { stage_name: 'E', planned_start: at(1, '13:00'), planned_end: at(1, '14:00') },
      { stage_name: 'F', planned_start: at(1, '14:00'), planned_end: at(1, '15:00') },
      { stage_name: 'G', planned_start: at(1, '15:00'), planned_end: at(1, '16:00') },
    ],
  );
  await runStage(h, stagesByName.E!.id, at(1, '13:00'), at(1, '14:30'));
  const cleared = await h.request({
    method: 'PATCH',
    url: `/stages/${stagesByName.G!.id}`,
    token: h.adminToken,
    payload: { planned_start: null, planned_end: null },
  });
  expect(cleared.statusCode).toBe(200);
  await runStage(h, stagesByName.G!.id, at(1, '15:00'), at(1, '15:20'));
});
afterAll(() => h.close());

describe('stage metrics', () => {
  it.each([
    [
      'A',
      { planned_minutes: 120, actual_minutes: 150, delay_minutes: 30, efficiency_pct: 80, on_time: false },
    ],
    [
      'B',
      { planned_minutes: 60, actual_minutes: 45, delay_minutes: -15, efficiency_pct: 133.33, on_time: true },
    ],
    [
      'C',
      { planned_minutes: 120, actual_minutes: 100, delay_minutes: -20, efficiency_pct: 120, on_time: true },
    ],
    [
      'D',
      { planned_minutes: 120, actual_minutes: 120, delay_minutes: 0, efficiency_pct: 100, on_time: true },
    ],
    [
      'E',
      { planned_minutes: 60, actual_minutes: 90, delay_minutes: 30, efficiency_pct: 66.67, on_time: false },
    ],
  ])('stage %s', async (name, expected) => {
    const stage = stagesByName[name]!;
    expect(await get(`/stages/${stage.id}/metrics`)).toEqual({
      stage_id: stage.id,
      work_order_id: stage.work_order_id,
      status: 'done',
      reason: null,
      ...expected,
    });
  });

  it('a stage never started: not_started, with its planned duration', async () => {
    expect(await get(`/stages/${stagesByName.F!.id}/metrics`)).toMatchObject({
      status: 'planned',
      planned_minutes: 60,
      actual_minutes: null,
      delay_minutes: null,
      efficiency_pct: null,
      on_time: null,
      reason: 'not_started',
    });
  });

  it('a stage without a planned window: actual only, no_planned_window', async () => {
    expect(await get(`/stages/${stagesByName.G!.id}/metrics`)).toMatchObject({
      status: 'done',
      planned_minutes: null,
      actual_minutes: 20,
      delay_minutes: null,
      efficiency_pct: null,
      on_time: null,
      reason: 'no_planned_window',
    });
  });

  it('a running stage: not_finished', async () => {
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(2, '08:00'),
      planned_end: at(2, '09:00'),
      stages: [{ stage_name: 'running' }],
    });
    const [stage] = await stagesOf(h, order.id);
    await runStage(h, stage!.id, at(2, '08:00'), null);
    expect(await get(`/stages/${stage!.id}/metrics`)).toMatchObject({
      status: 'in_progress',
      planned_minutes: 60,
      actual_minutes: null,
      efficiency_pct: null,
      on_time: null,
      reason: 'not_finished',
    });
  });

  it('a zero-length stage (actual_start = actual_end): efficiency null, zero_actual_duration', async () => {
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(3, '08:00'),
      planned_end: at(3, '08:30'),
      stages: [{ stage_name: 'instant' }],
    });
    const [stage] = await stagesOf(h, order.id);
    await runStage(h, stage!.id, at(3, '08:10'), at(3, '08:10'));
    const metrics = await get(`/stages/${stage!.id}/metrics`);
    expect(metrics).toMatchObject({
      status: 'done',
      planned_minutes: 30,
      actual_minutes: 0,
      efficiency_pct: null,
      reason: 'zero_actual_duration',
    });
    expect(metrics.delay_minutes).toBe(-30);
    const orderMetrics = await get(`/workorders/${order.id}/metrics`);
    expect(orderMetrics).toMatchObject({
      status: 'done',
      efficiency_pct: null,
      reason: 'zero_actual_duration',
    });
  });

  it('measures whole seconds: 400 ms is no duration, 90.6 s counts as 91 s', async () => {
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(3, '10:00'),
      planned_end: at(3, '10:02'),
      stages: [{ stage_name: 'blink' }, { stage_name: 'short' }],
    });
    const [blink, short] = await stagesOf(h, order.id);
    await runStage(
      h,
      blink!.id,
      at(3, '10:00'),
      new Date(new Date(at(3, '10:00')).getTime() + 400).toISOString(),
    );
    await runStage(
      h,
      short!.id,
      at(3, '10:01'),
      new Date(new Date(at(3, '10:01')).getTime() + 90_600).toISOString(),
    );
    expect(await get(`/stages/${blink!.id}/metrics`)).toMatchObject({
      actual_minutes: 0,
      efficiency_pct: null,
      reason: 'zero_actual_duration',
    });
    // planned 1 min, actual 91 s = 1.5167 min: delay 0.52, efficiency 60 / 91 × 100 = 65.93.
    expect(await get(`/stages/${short!.id}/metrics`)).toMatchObject({
      planned_minutes: 1,
      actual_minutes: 1.52,
      delay_minutes: 0.52,
      efficiency_pct: 65.93,
      on_time: false,
      reason: null,
    });
  });

  it('answers 404 for a stage that does not exist', async () => {
    const response = await h.request({ method: 'GET', url: '/stages/987654/metrics', token: h.adminToken });
    expect(response.statusCode).toBe(404);
  });
});

describe('work order metrics', () => {
  it('a finished order: first actual start to last actual end, with each stage', async () => {
    const metrics = await get(`/workorders/${wo1.id}/metrics`);
    expect(metrics).toEqual({
      work_order_id: wo1.id,
      status: 'done',
      planned_minutes: 180,
      actual_minutes: 195,
      delay_minutes: 15,
      efficiency_pct: 92.31,
      on_time: false,
      reason: null,
      stages: [
        {
          stage_id: stagesByName.A!.id,
          stage_name: 'A',
          planned_minutes: 120,
          actual_minutes: 150,
          delay_minutes: 30,
          efficiency_pct: 80,
          on_time: false,
          reason: null,
        },
        {
          stage_id: stagesByName.B!.id,
          stage_name: 'B',
          planned_minutes: 60,
          actual_minutes: 45,
          delay_minutes: -15,
          efficiency_pct: 133.33,
          on_time: true,
          reason: null,
        },
      ],
    });
  });

  it('an order finished early is on time', async () => {
    expect(await get(`/workorders/${wo2.id}/metrics`)).toMatchObject({
      status: 'done',
      planned_minutes: 240,
      actual_minutes: 220,
      delay_minutes: -20,
      efficiency_pct: 109.09,
      on_time: true,
      reason: null,
    });
  });

  it('an order with stages still to do: null with not_finished, stage figures as far as they go', async () => {
    const metrics = await get(`/workorders/${wo3.id}/metrics`);
    expect(metrics).toMatchObject({
      status: 'in_progress',
      planned_minutes: 180,
      actual_minutes: null,
      delay_minutes: null,
      efficiency_pct: null,
      on_time: null,
      reason: 'not_finished',
    });
    expect(
      metrics.stages.map((s: { stage_name: string; reason: string | null }) => [s.stage_name, s.reason]),
    ).toEqual([
      ['E', null],
      ['F', 'not_started'],
      ['G', 'no_planned_window'],
    ]);
  });

  it('an order never started: not_started', async () => {
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(4, '08:00'),
      planned_end: at(4, '10:00'),
    });
    const metrics = await get(`/workorders/${order.id}/metrics`);
    expect(metrics).toMatchObject({
      status: 'planned',
      planned_minutes: 120,
      actual_minutes: null,
      reason: 'not_started',
    });
    expect(metrics.stages).toHaveLength(5);
    expect(metrics.stages.every((s: { reason: string }) => s.reason === 'not_started')).toBe(true);
  });

  it('answers 404 for an order that does not exist', async () => {
    const response = await h.request({
      method: 'GET',
      url: '/workorders/987654/metrics',
      token: h.adminToken,
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('GET /production/metrics', () => {
  const period = () => `from=${encodeURIComponent(at(0, '00:00'))}&to=${encodeURIComponent(at(2, '00:00'))}`;

  it('level=work_order: the orders finished in the period, in total and per day', async () => {
    const result = await summary(`${period()}&level=work_order`);
    // WO1 (180/195, +15, late) and WO2 (240/220, −20, on time); WO3 is not finished.
    expect(result).toMatchObject({
      from: at(0, '00:00'),
      to: at(2, '00:00'),
      level: 'work_order',
      reason: null,
      finished: 2,
      with_windows: 2,
      on_time: 1,
      on_time_pct: 50,
      avg_delay_minutes: -2.5,
      efficiency_pct: 101.2, // 420 / 415
    });
    expect(result.buckets).toEqual([
      {
        bucket_start: at(0, '00:00'),
        finished: 1,
        with_windows: 1,
        on_time: 0,
        on_time_pct: 0,
        avg_delay_minutes: 15,
        efficiency_pct: 92.31,
      },
      {
        bucket_start: at(1, '00:00'),
        finished: 1,
        with_windows: 1,
        on_time: 1,
        on_time_pct: 100,
        avg_delay_minutes: -20,
        efficiency_pct: 109.09,
      },
    ]);
  });

  it('is the default level', async () => {
    const result = await summary(period());
    expect(result).toMatchObject({ level: 'work_order', finished: 2, on_time_pct: 50 });
  });

  it('level=stage: every stage finished in the period; one without a window counts as finished only', async () => {
    const result = await summary(`${period()}&level=stage`);
    // A, B, C, D, E judged (480 planned / 505 actual); G finished without a window.
    expect(result).toMatchObject({
      level: 'stage',
      reason: null,
      finished: 6,
      with_windows: 5,
      on_time: 3,
      on_time_pct: 60,
      avg_delay_minutes: 5, // (30 − 15 − 20 + 0 + 30) / 5
      efficiency_pct: 95.05, // 480 / 505
    });
    expect(result.buckets).toEqual([
      {
        bucket_start: at(0, '00:00'),
        finished: 2,
        with_windows: 2,
        on_time: 1,
        on_time_pct: 50,
        avg_delay_minutes: 7.5,
        efficiency_pct: 92.31, // 180 / 195
      },
      {
        bucket_start: at(1, '00:00'),
        finished: 4,
        with_windows: 3,
        on_time: 2,
        on_time_pct: 66.67,
        avg_delay_minutes: 3.33, // (−20 + 0 + 30) / 3
        efficiency_pct: 96.77, // 300 / 310
      },
    ]);
  });

  it('counts by the finish time: a period ending before WO2 finished has WO1 only', async () => {
    const result = await summary(
      `from=${encodeURIComponent(at(0, '00:00'))}&to=${encodeURIComponent(at(1, '11:40'))}&level=work_order`,
    );
    expect(result).toMatchObject({ finished: 1, on_time: 0, avg_delay_minutes: 15, efficiency_pct: 92.31 });
    const stages = await summary(
      `from=${encodeURIComponent(at(0, '10:30'))}&to=${encodeURIComponent(at(0, '11:15'))}&level=stage`,
    );
    // [10:30, 11:15): A (ended 10:30) in, B (ended 11:15) out.
    expect(stages).toMatchObject({ finished: 1, on_time: 0, avg_delay_minutes: 30, efficiency_pct: 80 });
  });

  // Two stages planned 1 min that took 91 s each: Σplanned ÷ Σactual = 120 s ÷ 182 s = 65.93 %, not
  // 2 ÷ (1.52 + 1.52) = 65.79 % from the rounded minutes.
  it('sums whole-second durations: two 91-second stages planned a minute each → 65.93 %', async () => {
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(-3, '10:00'),
      planned_end: at(-3, '10:02'),
      stages: [{ stage_name: 'one' }, { stage_name: 'two' }],
    });
    const [one, two] = await stagesOf(h, order.id);
    const plusMs = (iso: string, ms: number) => new Date(new Date(iso).getTime() + ms).toISOString();
    await runStage(h, one!.id, at(-3, '10:00'), plusMs(at(-3, '10:00'), 91_000));
    await runStage(h, two!.id, at(-3, '10:01'), plusMs(at(-3, '10:01'), 91_000));
    const result = await summary(
      `from=${encodeURIComponent(at(-3, '00:00'))}&to=${encodeURIComponent(at(-2, '00:00'))}&level=stage`,
    );
    expect(result).toMatchObject({ finished: 2, with_windows: 2 });
    expect(result.efficiency_pct).toBe(65.93);
  });

  it('filters by product code', async () => {
    const result = await summary(`${period()}&product_code=p-b`);
    expect(result).toMatchObject({ finished: 1, on_time: 1, on_time_pct: 100, efficiency_pct: 109.09 });
    const stages = await summary(`${period()}&product_code=P-A&level=stage`);
    // A, B, E judged, G unjudged.
    expect(stages).toMatchObject({ finished: 4, with_windows: 3, on_time: 1, efficiency_pct: 84.21 }); // 240 / 285
  });

  it('filters by line', async () => {
    const line = await buildLine(h, site.id);
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      line_id: line.id,
      planned_start: at(3, '12:00'),
      planned_end: at(3, '13:00'),
      stages: [{ stage_name: 'only' }],
    });
    const [stage] = await stagesOf(h, order.id);
    await runStage(h, stage!.id, at(3, '12:00'), at(3, '12:48'));
    const day3 = `from=${encodeURIComponent(at(3, '00:00'))}&to=${encodeURIComponent(at(4, '00:00'))}`;
    const result = await summary(`${day3}&line_id=${line.id}`);
    // 60 planned / 48 actual.
    expect(result).toMatchObject({
      finished: 1,
      on_time: 1,
      avg_delay_minutes: -12,
      efficiency_pct: 125,
    });
  });

  it('an empty period: zero counts, null figures and a reason', async () => {
    const result = await summary(
      `from=${encodeURIComponent(at(-20, '00:00'))}&to=${encodeURIComponent(at(-18, '00:00'))}`,
    );
    expect(result).toMatchObject({
      finished: 0,
      with_windows: 0,
      on_time: 0,
      on_time_pct: null,
      avg_delay_minutes: null,
      efficiency_pct: null,
      reason: 'nothing_finished_in_period',
    });
    expect(result.buckets).toHaveLength(2);
    expect(result.buckets.every((b: { finished: number }) => b.finished === 0)).toBe(true);
  });

  it('no_planned_windows when nothing finished had a window', async () => {
    const result = await summary(
      `from=${encodeURIComponent(at(1, '15:00'))}&to=${encodeURIComponent(at(1, '16:00'))}&level=stage`,
    );
    expect(result).toMatchObject({
      finished: 1,
      with_windows: 0,
      on_time_pct: null,
      reason: 'no_planned_windows',
    });
  });

  it('weekly buckets start on Monday and add up to the total', async () => {
    const result = await summary(
      `from=${encodeURIComponent(at(-14, '00:00'))}&to=${encodeURIComponent(at(7, '00:00'))}&level=stage&bucket=week`,
    );
    expect(result.finished).toBeGreaterThanOrEqual(6);
    for (const bucket of result.buckets) {
      const start = new Date(bucket.bucket_start);
      expect(start.getUTCDay()).toBe(1);
      expect(start.getUTCHours()).toBe(0);
    }
    const sum = result.buckets.reduce((total: number, b: { finished: number }) => total + b.finished, 0);
    expect(sum).toBe(result.finished);
  });

  it('buckets days in the site’s time zone', async () => {
    const tokyo = await buildSite(h, { time_zone: 'Asia/Tokyo' });
    const order = await buildWorkOrder(h, {
      site_id: tokyo.id,
      planned_start: at(0, '19:00'),
      planned_end: at(0, '20:00'),
      stages: [{ stage_name: 'late shift' }],
    });
    const [stage] = await stagesOf(h, order.id);
    // Finished D 20:00 UTC = D+1 05:00 in Tokyo (UTC+9): its day begins D 15:00 UTC.
    await runStage(h, stage!.id, at(0, '19:00'), at(0, '20:00'));
    const result = await get(
      `/production/metrics?site_id=${tokyo.id}&from=${encodeURIComponent(at(0, '15:00'))}&to=${encodeURIComponent(at(2, '15:00'))}`,
    );
    expect(result.finished).toBe(1);
    expect(result.buckets.map((b: { bucket_start: string }) => b.bucket_start)).toEqual([
      at(0, '15:00'),
      at(1, '15:00'),
    ]);
    expect(result.buckets[0].finished).toBe(1);
  });

  it('defaults to the last 30 days', async () => {
    const result = await summary('');
    const to = new Date(result.to).getTime();
    expect(Math.abs(to - Date.now())).toBeLessThan(10_000);
    expect(to - new Date(result.from).getTime()).toBe(30 * 86_400_000);
    expect(result.finished).toBeGreaterThanOrEqual(2);
  });
});

describe('GET /production/metrics refusals', () => {
  const ask = (query: string) =>
    h.request({ method: 'GET', url: `/production/metrics?site_id=${site.id}&${query}`, token: h.adminToken });

  it('refuses a period over 366 days with 422', async () => {
    const response = await ask('from=2025-01-01T00:00:00Z&to=2026-01-03T00:00:00Z');
    expect(response.statusCode).toBe(422);
    expect(response.json().errors[0].field).toBe('to');
  });

  it('accepts exactly 366 days', async () => {
    const response = await ask('from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00Z');
    expect(response.statusCode).toBe(200);
    expect(response.json().buckets).toHaveLength(366);
  });

  it('refuses to ≤ from with 422', async () => {
    expect((await ask('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).statusCode).toBe(422);
    expect((await ask('from=2026-01-02T00:00:00Z&to=2026-01-02T00:00:00Z')).statusCode).toBe(422);
  });

  it('refuses an unknown level or bucket with 422', async () => {
    expect((await ask('level=line')).statusCode).toBe(422);
    expect((await ask('bucket=month')).statusCode).toBe(422);
  });

  it('refuses a site the caller is not a member of (403)', async () => {
    const other = await buildSite(h);
    const planner = await buildUser(h, { role: 'planner', site_ids: [site.id] });
    const response = await h.request({
      method: 'GET',
      url: `/production/metrics?site_id=${other.id}`,
      token: planner.token,
    });
    expect(response.statusCode).toBe(403);
  });
});
