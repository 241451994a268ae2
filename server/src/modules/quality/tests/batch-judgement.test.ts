import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiKey, buildLine, buildMachine, buildSite } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

// results.writer.ts judges a batch of 1,000 rows or more with a join on validity intervals and a smaller
// one with a lookup per row: both must give every result the same verdict and limit version.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RESULTS = 1_200;

let h: Harness;
let owner: pg.Client;
let key: string;
let machineCodes: string[];
const base = Date.now() - 40 * DAY;

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const site = await buildSite(h, { time_zone: 'UTC' });
  const line = await buildLine(h, site.id);
  machineCodes = [(await buildMachine(h, line.id)).code, (await buildMachine(h, line.id)).code];
  key = (await buildApiKey(h, site.id)).key;
  // PROD-A voltage_test: three versions (the last one with an upper limit only); current_test: one
  // version from day 20; PROD-B: no limits at all.
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, effective_from)
     values ($1, 'PROD-A', 'voltage_test', 80, 90, $2), ($1, 'PROD-A', 'voltage_test', 84, 86, $3),
            ($1, 'PROD-A', 'voltage_test', null, 88, $4), ($1, 'PROD-A', 'current_test', 1, 2, $3)`,
    [
      site.id,
      new Date(base + 5 * DAY).toISOString(),
      new Date(base + 20 * DAY).toISOString(),
      new Date(base + 30 * DAY).toISOString(),
    ],
  );
});
afterAll(async () => {
  await owner?.end();
  await h?.close();
});

/** Result `i` of a run: spread over 40 days (so before, between and on the versions' boundaries). */
function result(prefix: string, i: number) {
  // Every 100th result lands exactly on a version's effective_from.
  const boundary = [5, 20, 30][i % 3]! * DAY;
  const offset = i % 100 === 0 ? boundary : Math.floor((i * 40 * DAY) / RESULTS);
  return {
    barcode: `${prefix}-${i}`,
    machine_id: machineCodes[i % 2]!,
    product_id: i % 5 === 4 ? 'PROD-B' : 'PROD-A',
    test_step: i % 3 === 0 ? 'current_test' : 'voltage_test',
    measured_value: i % 3 === 0 ? 1 + (i % 4) / 2 : 79 + (i % 13),
    timestamp: new Date(base + offset).toISOString(),
  };
}

async function send(body: unknown[]) {
  const response = await h.request({
    method: 'POST',
    url: '/ingest',
    headers: { 'x-api-key': key },
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(202);
}

async function stored(prefix: string) {
  const { rows } = await owner.query<{
    barcode: string;
    measured_value: number;
    verdict: string;
    limit_id: string | null;
    lower_limit: number | null;
    upper_limit: number | null;
  }>(
    `select barcode, measured_value, verdict, limit_id, lower_limit, upper_limit from test_results
     where barcode like $1`,
    [`${prefix}-%`],
  );
  return new Map(rows.map(({ barcode, ...row }) => [barcode.slice(prefix.length + 1), row]));
}

describe('judging a large batch', () => {
  it('gives the same verdicts and limit versions as small batches, and keeps a duplicate’s first copy', async () => {
    const large = Array.from({ length: RESULTS }, (_, i) => result('L', i));
    // A duplicate within the batch (same barcode, machine, step and instant), with another value.
    large.push({ ...large[7]!, measured_value: 1_000 });
    await send(large);

    const small = Array.from({ length: RESULTS }, (_, i) => result('S', i));
    small.push({ ...small[7]!, measured_value: 1_000 });
    for (let i = 0; i < small.length; i += 50) await send(small.slice(i, i + 50));

    const fromLarge = await stored('L');
    const fromSmall = await stored('S');
    expect(fromLarge.size).toBe(RESULTS);
    expect(fromSmall.size).toBe(RESULTS);
    expect(Object.fromEntries(fromLarge)).toEqual(Object.fromEntries(fromSmall));
    // The first copy of the duplicate is the one kept.
    expect(fromLarge.get('7')?.measured_value).toBe(large[7]!.measured_value);

    // Every kind of judgement occurs: each limit version, PASS, FAIL and NO_LIMIT.
    const verdicts = new Set([...fromLarge.values()].map((row) => row.verdict));
    expect(verdicts).toEqual(new Set(['PASS', 'FAIL', 'NO_LIMIT']));
    const { rows: limits } = await owner.query<{ id: string }>('select id from spec_limits');
    const used = new Set([...fromLarge.values()].map((row) => row.limit_id));
    for (const limit of limits) expect(used).toContain(limit.id);
    // Results before the first version, and PROD-B's, have no limit.
    expect(fromLarge.get('1')).toMatchObject({ verdict: 'NO_LIMIT', limit_id: null });
    expect(fromLarge.get('4')).toMatchObject({ verdict: 'NO_LIMIT', limit_id: null });
  });
});
