import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
let owner: pg.Client;
let machine: MachineRecord;
let siteId: number;

const message = (barcode: string) =>
  JSON.stringify({
    v: 1,
    rows: [
      {
        site_id: siteId,
        machine_id: machine.id,
        machine_code: machine.code,
        barcode,
        product_code: 'PROD-D',
        test_step: 'leak_test',
        measured_value: 1.5,
        unit: null,
        measured_at: '2026-11-30T08:00:00.000Z',
      },
    ],
  });

async function deadLetter(payload: string, reason: string): Promise<number> {
  const { rows } = await owner.query(
    `insert into ingest_dead_letters (source, reason, payload) values ('amqp', $1, $2) returning id`,
    [reason, payload],
  );
  return Number(rows[0].id);
}

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  siteId = (await buildSite(h)).id;
  machine = await buildMachine(h, (await buildLine(h, siteId)).id);
});
afterAll(async () => {
  await owner.end();
  await h.close();
});

describe('ingest dead letters', () => {
  it('lists them with the reason for admins, and replays one whose cause is gone, once', async () => {
    const good = await deadLetter(message('SN-DL-1'), 'the database refused a value (fixed since)');
    const bad = await deadLetter('{"v":1,"rows":', 'not JSON');
    const list = await h.request({
      method: 'GET',
      url: '/ingest/dead-letters?replayed=false',
      token: h.adminToken,
    });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject([
      { id: bad, reason: 'not JSON', results: null, replayed_at: null },
      { id: good, results: 1, replayed_at: null },
    ]);

    const replay = await h.request({
      method: 'POST',
      url: `/ingest/dead-letters/${good}/replay`,
      token: h.adminToken,
    });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toEqual({ accepted: 1 });
    const again = await h.request({
      method: 'POST',
      url: `/ingest/dead-letters/${good}/replay`,
      token: h.adminToken,
    });
    expect(again.statusCode).toBe(202);
    const { rows } = await owner.query(`select verdict from test_results where barcode = 'SN-DL-1'`);
    expect(rows).toEqual([{ verdict: 'NO_LIMIT' }]);
    const replayed = await h.request({
      method: 'GET',
      url: '/ingest/dead-letters?replayed=true',
      token: h.adminToken,
    });
    expect(replayed.json().map((d: { id: number }) => d.id)).toEqual([good]);

    const refused = await h.request({
      method: 'POST',
      url: `/ingest/dead-letters/${bad}/replay`,
      token: h.adminToken,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ error_code: 'DEAD_LETTER_UNPROCESSABLE' });
    expect(
      (await h.request({ method: 'POST', url: '/ingest/dead-letters/999999/replay', token: h.adminToken }))
        .statusCode,
    ).toBe(404);
  });

  it('is for admins only', async () => {
    const manager = await buildUser(h, { role: 'manager', site_ids: [siteId] });
    expect(
      (await h.request({ method: 'GET', url: '/ingest/dead-letters', token: manager.token })).statusCode,
    ).toBe(403);
  });
});
