import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
let owner: pg.Client;
let key: string;
let machine: MachineRecord;
let siteId: number;

const result = (overrides: Record<string, unknown> = {}) => ({
  barcode: 'SN-1001',
  machine_id: machine.code,
  product_id: 'PROD-A',
  test_step: 'voltage_test',
  measured_value: 85.5,
  timestamp: '2026-10-27T10:00:00',
  ...overrides,
});

const ingest = (payload: unknown, headers: Record<string, string> = { 'x-api-key': key }) =>
  h.request({ method: 'POST', url: '/ingest', headers, payload: payload as object });

async function stored(barcode: string) {
  const { rows } = await owner.query(
    'select verdict, measured_at, limit_id from test_results where barcode = $1 order by measured_at',
    [barcode],
  );
  return rows as { verdict: string; measured_at: Date; limit_id: number | null }[];
}

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const site = await buildSite(h, { time_zone: 'Europe/Berlin' });
  siteId = site.id;
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  key = (await buildApiKey(h, site.id)).key;
  // Limits for PROD-A voltage_test: 80..90 from 2026-01-01, 84..86 from 2026-10-27 12:00 UTC.
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, unit, effective_from)
     values ($1, 'PROD-A', 'voltage_test', 80, 90, 'V', '2026-01-01T00:00:00Z'),
            ($1, 'PROD-A', 'voltage_test', 84, 86, 'V', '2026-10-27T12:00:00Z')`,
    [site.id],
  );
});
afterAll(async () => {
  await owner.end();
  await h.close();
});

describe('POST /ingest', () => {
  it('takes the stations’ exact body with an API key, reads a bare timestamp in the site’s zone, and judges it', async () => {
    const response = await ingest(result());
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ accepted: 1 });
    const [row] = await stored('SN-1001');
    expect(row?.verdict).toBe('PASS');
    // 10:00 in Berlin (CET, +01:00 after the October change on the 25th) is 09:00 UTC.
    expect(row?.measured_at.toISOString()).toBe('2026-10-27T09:00:00.000Z');
  });

  it('judges each result by the limits in force when it was measured', async () => {
    const response = await ingest([
      result({ barcode: 'SN-V1', measured_value: 88, timestamp: '2026-10-27T11:00:00Z' }),
      result({ barcode: 'SN-V2', measured_value: 88, timestamp: '2026-10-27T13:00:00Z' }),
      result({ barcode: 'SN-V3', measured_value: 79.9, timestamp: '2026-10-27T11:00:00Z' }),
      result({ barcode: 'SN-V4', product_id: 'PROD-B', timestamp: '2026-10-27T11:00:00Z' }),
    ]);
    expect(response.statusCode).toBe(202);
    expect((await stored('SN-V1'))[0]?.verdict).toBe('PASS');
    expect((await stored('SN-V2'))[0]?.verdict).toBe('FAIL');
    expect((await stored('SN-V3'))[0]?.verdict).toBe('FAIL');
    expect((await stored('SN-V4'))[0]).toMatchObject({ verdict: 'NO_LIMIT', limit_id: null });
  });

  it('stores the same result sent twice once', async () => {
    const same = result({ barcode: 'SN-DUP', timestamp: '2026-10-28T08:00:00Z' });
    expect((await ingest([same, same])).statusCode).toBe(202);
    expect((await ingest(same)).statusCode).toBe(202);
    expect(await stored('SN-DUP')).toHaveLength(1);
  });

  it('refuses a body with one invalid result as a whole, naming the item and field', async () => {
    const response = await ingest([
      result({ barcode: 'SN-BAD-1' }),
      result({ barcode: 'SN-BAD-2', measured_value: 'high' }),
      result({ barcode: 'SN-BAD-3', timestamp: 'yesterday' }),
    ]);
    expect(response.statusCode).toBe(422);
    const body = response.json();
    expect(body.error_code).toBe('VALIDATION_FAILED');
    expect(body.errors.map((e: { field: string }) => e.field)).toEqual(['1.measured_value', '2.timestamp']);
    expect(await stored('SN-BAD-1')).toHaveLength(0);
  });

  it('refuses an unknown machine with 422 and keeps nothing', async () => {
    const response = await ingest([
      result({ barcode: 'SN-UNK-1' }),
      result({ barcode: 'SN-UNK-2', machine_id: 'NOPE-9' }),
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error_code: 'UNKNOWN_MACHINE' });
    expect(response.json().errors[0].field).toBe('1.machine_id');
    expect(await stored('SN-UNK-1')).toHaveLength(0);
  });

  it('accepts a user token with the ingest permission and refuses one without', async () => {
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [siteId] });
    expect(
      (await ingest(result({ barcode: 'SN-U1' }), { authorization: `Bearer ${viewer.token}` })).statusCode,
    ).toBe(403);
    expect(
      (await ingest(result({ barcode: 'SN-U2' }), { authorization: `Bearer ${h.adminToken}` })).statusCode,
    ).toBe(202);
    expect((await ingest(result({ barcode: 'SN-U3' }), {})).statusCode).toBe(401);
    expect(await stored('SN-U1')).toHaveLength(0);
    expect(await stored('SN-U2')).toHaveLength(1);
  });

  it('takes 10,000 results in one request and refuses 10,001', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      result({ barcode: `SN-BULK-${i}`, timestamp: '2026-10-29T08:00:00Z' }),
    );
    const response = await ingest(many);
    expect(response.statusCode).toBe(202);
    expect(response.json().accepted).toBe(10_000);
    const { rows } = await owner.query(
      `select count(*)::int as n from test_results where barcode like 'SN-BULK-%'`,
    );
    expect(rows[0].n).toBe(10_000);
    const tooMany = await ingest([...many, result({ barcode: 'SN-BULK-X' })]);
    expect(tooMany.statusCode).toBe(413);
  });
});

describe('reading results back', () => {
  it('lists, filters, traces a unit, gives a machine’s status and pass-rate counts', async () => {
    const token = h.adminToken;
    const list = await h.request({ method: 'GET', url: `/results?barcode=SN-V2`, token });
    expect(list.json().items).toMatchObject([
      { barcode: 'SN-V2', verdict: 'FAIL', machine_code: machine.code, lower_limit: 84, upper_limit: 86 },
    ]);
    const fails = await h.request({
      method: 'GET',
      url: `/results?verdict=FAIL&machine_id=${machine.code}&limit=1`,
      token,
    });
    expect(fails.json().items).toHaveLength(1);
    expect(fails.json().next_cursor).not.toBeNull();
    const unit = await h.request({ method: 'GET', url: '/units/SN-V3', token });
    expect(unit.json()).toMatchObject({ barcode: 'SN-V3', verdict: 'FAIL' });
    const status = await h.request({ method: 'GET', url: `/machines/${machine.code}/status`, token });
    expect(status.statusCode).toBe(200);
    expect(status.json().last_result).not.toBeNull();
    const metrics = await h.request({
      method: 'GET',
      url: `/quality/metrics?machine_id=${machine.code}&from=2026-10-27T10:30:00Z&to=2026-10-27T14:00:00Z`,
      token,
    });
    // SN-V1 PASS, SN-V2 FAIL, SN-V3 FAIL, SN-V4 NO_LIMIT.
    expect(metrics.json()).toMatchObject({ total_tests: 4, pass_count: 1, fail_count: 2, no_limit_count: 1 });
    expect(metrics.json().pass_rate).toBeCloseTo(1 / 3, 10);
  });
});
