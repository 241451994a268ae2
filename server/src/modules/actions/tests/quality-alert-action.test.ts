import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../test/factories.ts';

describe('a quality alert raises an action item', () => {
  let h: Harness;
  let machine: MachineRecord;
  let manager: UserRecord;
  let key: string;
  let seq = 0;
  const base = Date.now() - 30 * 60_000;

  beforeAll(async () => {
    h = await createHarness();
    const site = await buildSite(h, { time_zone: 'UTC' });
    machine = await buildMachine(h, (await buildLine(h, site.id)).id);
    key = (await buildApiKey(h, site.id)).key;
    manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    const owner = new pg.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    await owner.query(
      `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, target, effective_from)
       values ($1, 'PROD-AQ', 'leak_test', 8, 16, 12, now() - interval '1 day')`,
      [site.id],
    );
    await owner.end();
  });
  afterAll(async () => {
    await h.close();
  });

  it('three FAILs in a row: one open action with source quality_alert on the machine, once', async () => {
    const fail = () => ({
      barcode: `SN-AQ${++seq}`,
      machine_id: machine.code,
      product_id: 'PROD-AQ',
      test_step: 'leak_test',
      measured_value: 30,
      timestamp: new Date(base + seq * 1000).toISOString(),
    });
    const ingest = (payload: unknown) =>
      h.request({
        method: 'POST',
        url: '/ingest',
        headers: { 'x-api-key': key },
        payload: payload as object,
      });
    expect((await ingest([fail(), fail(), fail()])).statusCode).toBe(202);
    const list = async () =>
      (
        await h.request({ method: 'GET', url: '/action-items?source=quality_alert', token: manager.token })
      ).json().items as { source_id: number; machine_id: number; priority: string; status: string }[];
    let items = await list();
    for (let i = 0; i < 100 && items.length === 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      items = await list();
    }
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ machine_id: machine.id, priority: 'high', status: 'open' });
    const alerts = (
      await h.request({ method: 'GET', url: '/quality/alerts', token: manager.token })
    ).json() as { id: number }[];
    expect(alerts.map((a) => a.id)).toContain(items[0]?.source_id);
    // More FAILs keep the same alert open: still one action.
    expect((await ingest([fail(), fail()])).statusCode).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await list()).toHaveLength(1);
  });
});
