import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { spcSummary } from '../spc.ts';

describe('I-MR chart and capability, computed by hand', () => {
  it('gives x̄, σ̂ = MR̄ ÷ 1.128, the control limits, Cp and Cpk', () => {
    // x = 10, 12, 11, 13, 12: x̄ = 11.6; MR = 2, 1, 2, 1 → MR̄ = 1.5; σ̂ = 1.5 ÷ 1.128 = 1.329787…
    const summary = spcSummary({ values: [10, 12, 11, 13, 12], lower: 8, upper: 16 });
    expect(summary.n).toBe(5);
    expect(summary.mean).toBe(11.6);
    expect(summary.mr_bar).toBe(1.5);
    expect(summary.sigma).toBeCloseTo(1.329787, 6);
    expect(summary.ucl).toBeCloseTo(15.589362, 6); // 11.6 + 3σ̂
    expect(summary.lcl).toBeCloseTo(7.610638, 6); // 11.6 − 3σ̂
    expect(summary.mr_ucl).toBeCloseTo(4.9005, 6); // 3.267 × 1.5
    expect(summary.cp).toBeCloseTo(1.002667, 6); // (16 − 8) ÷ 6σ̂
    expect(summary.cpk).toBeCloseTo(0.9024, 6); // min(16 − 11.6, 11.6 − 8) ÷ 3σ̂ = 3.6 ÷ 3.989362
    expect(summary.reason).toBeNull();
  });

  it('is one-sided with one limit and says why when it cannot be computed', () => {
    expect(spcSummary({ values: [10, 12, 11, 13, 12], lower: null, upper: 16 }).cpk).toBeCloseTo(
      4.4 / 3.989362,
      6,
    );
    expect(spcSummary({ values: [10, 12, 11, 13, 12], lower: null, upper: null })).toMatchObject({
      cpk: null,
      reason: 'no_limits',
    });
    expect(spcSummary({ values: [5, 5, 5], lower: 0, upper: 10 })).toMatchObject({
      sigma: 0,
      cpk: null,
      reason: 'no_variation',
    });
    expect(spcSummary({ values: [5], lower: 0, upper: 10 })).toMatchObject({
      n: 1,
      mean: 5,
      reason: 'too_few_points',
    });
  });
});

describe('the quality dashboard API', () => {
  let h: Harness;
  let owner: pg.Client;
  let key: string;
  let machine: MachineRecord;
  let siteId: number;
  let manager: UserRecord;
  const base = Date.now() - 30 * 60_000;
  let seq = 0;
  const result = (value: number, step = 'leak_test') => ({
    barcode: `SN-A${++seq}`,
    machine_id: machine.code,
    product_id: 'PROD-Q',
    test_step: step,
    measured_value: value,
    timestamp: new Date(base + seq * 1000).toISOString(),
  });
  const ingest = (payload: unknown) =>
    h.request({ method: 'POST', url: '/ingest', headers: { 'x-api-key': key }, payload: payload as object });
  const get = (url: string) => h.request({ method: 'GET', url, token: manager.token });

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    h = await createHarness();
    owner = new pg.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    const site = await buildSite(h, { time_zone: 'UTC' });
    siteId = site.id;
    machine = await buildMachine(h, (await buildLine(h, site.id)).id);
    key = (await buildApiKey(h, site.id)).key;
    manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    await owner.query(
      `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, target, effective_from)
       values ($1, 'PROD-Q', 'leak_test', 8, 16, 12, now() - interval '1 day')`,
      [site.id],
    );
  });
  afterAll(async () => {
    await owner.end();
    await h.close();
  });

  it('raises an alert after 3 FAILs in a row, notifies the manager, clears it on the next PASS and keeps it until acknowledged', async () => {
    expect((await ingest([result(12), result(20), result(21)])).statusCode).toBe(202);
    expect((await get(`/quality/alerts?site_id=${siteId}`)).json()).toEqual([]);
    expect((await ingest(result(22))).statusCode).toBe(202);
    const alerts = await until(
      async () => (await get(`/quality/alerts?site_id=${siteId}`)).json(),
      (list: unknown[]) => list.length > 0,
    );
    expect(alerts).toMatchObject([
      { machine_code: machine.code, test_step: 'leak_test', kind: 'consecutive_fails', cleared_at: null },
    ]);
    const notes = await until(
      async () => (await get('/notifications')).json().items,
      (items: { kind: string }[]) => items.some((n) => n.kind === 'quality_alert'),
    );
    expect(notes.some((n: { kind: string }) => n.kind === 'quality_alert')).toBe(true);
    const tiles = (await get(`/quality/machines?site_id=${siteId}`)).json();
    expect(tiles).toMatchObject([
      { machine_id: machine.code, last_verdict: 'FAIL', colour: 'red', open_alerts: 1 },
    ]);

    expect((await ingest(result(12))).statusCode).toBe(202);
    // The condition cleared by itself; the alert stays listed until someone acknowledges it.
    const cleared = await until(
      async () => (await get(`/quality/alerts?site_id=${siteId}`)).json(),
      (list: { id: number; cleared_at: string | null }[]) => list[0]?.cleared_at !== null,
    );
    expect(cleared).toHaveLength(1);
    const [alert] = cleared;
    if (!alert) throw new Error('the alert vanished');
    expect(alert.cleared_at).not.toBeNull();
    const ack = await h.request({
      method: 'POST',
      url: `/quality/alerts/${alert.id}/acknowledge`,
      token: manager.token,
    });
    expect(ack.statusCode).toBe(204);
    expect((await get(`/quality/alerts?site_id=${siteId}`)).json()).toEqual([]);
    const all = (await get(`/quality/alerts?site_id=${siteId}&open=false`)).json();
    expect(all[0]).toMatchObject({ acknowledged_at: expect.any(String) });
  });

  it('ranks failing steps and draws the control chart of a step with its limits', async () => {
    await ingest([result(30, 'burst_test'), result(10), result(12), result(11), result(13), result(12)]);
    const top = (await get(`/quality/top-failures?site_id=${siteId}`)).json();
    expect(top[0]).toMatchObject({ product_id: 'PROD-Q', test_step: 'leak_test', fail_count: 3 });
    const spc = (await get(`/quality/spc?product_id=PROD-Q&test_step=leak_test&limit=5`)).json();
    expect(spc.points.map((p: { value: number }) => p.value)).toEqual([10, 12, 11, 13, 12]);
    expect(spc).toMatchObject({ n: 5, mean: 11.6, mr_bar: 1.5, lower_limit: 8, upper_limit: 16, target: 12 });
    expect(spc.cpk).toBeCloseTo(0.9024, 6);
  });

  it('lets a manager tune the site’s alert rule and refuses a viewer', async () => {
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [siteId] });
    const rule = { consecutive_fails: 5, min_pass_rate: 95, min_sample: 10 };
    expect(
      (
        await h.request({
          method: 'PUT',
          url: `/quality/alert-rules/${siteId}`,
          token: viewer.token,
          payload: rule,
        })
      ).statusCode,
    ).toBe(403);
    const saved = await h.request({
      method: 'PUT',
      url: `/quality/alert-rules/${siteId}`,
      token: manager.token,
      payload: rule,
    });
    expect(saved.json()).toMatchObject({ ...rule, is_default: false });
    expect((await get(`/quality/alert-rules/${siteId}`)).json()).toMatchObject(rule);
  });
});
