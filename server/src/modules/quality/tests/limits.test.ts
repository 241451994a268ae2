import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

const HEADER = 'site_code,product_id,test_step,lower_limit,upper_limit,target,unit,effective_from';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

let h: Harness;
let owner: pg.Client;
let site: SiteRecord;
let otherSite: SiteRecord;
let manager: UserRecord;
let viewer: UserRecord;
let otherManager: UserRecord;

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  [site, otherSite] = await Promise.all([
    buildSite(h, { code: 'LIM1', time_zone: 'Europe/Berlin' }),
    buildSite(h, { code: 'LIM2', time_zone: 'UTC' }),
  ]);
  [manager, viewer, otherManager] = await Promise.all([
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
    buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [otherSite.id] }),
  ]);
});
afterAll(async () => {
  await owner?.end();
  await h?.close();
});

type Limit = {
  id: number;
  site_id: number;
  product_id: string;
  test_step: string;
  lower_limit: number | null;
  upper_limit: number | null;
  target: number | null;
  unit: string | null;
  effective_from: string;
  created_by: number | null;
  created_at: string;
  in_force: boolean;
};

const create = (payload: Record<string, unknown>, token = manager.token) =>
  h.request({ method: 'POST', url: '/quality/limits', token, payload: { site_id: site.id, ...payload } });
const list = async (query: string, token = manager.token) => {
  const response = await h.request({ method: 'GET', url: `/quality/limits?${query}`, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as Limit[];
};
const remove = (id: number, token = manager.token) =>
  h.request({ method: 'DELETE', url: `/quality/limits/${id}`, token });

function upload(body: string, options: { token?: string; query?: string; raw?: boolean } = {}) {
  const { token = manager.token, query = '' } = options;
  const url = `/quality/limits/import${query}`;
  if (options.raw) {
    return h.request({
      method: 'POST',
      url,
      token,
      payload: body,
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });
  }
  const boundary = 'hom-limits-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="limits.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(body),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return h.request({
    method: 'POST',
    url,
    token,
    payload,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  });
}

async function storedCount(productCode: string): Promise<number> {
  const { rows } = await owner.query('select count(*)::int as n from spec_limits where product_code = $1', [
    productCode,
  ]);
  return rows[0].n as number;
}

describe('creating, listing and deleting versions', () => {
  it('creates a version in force now, a future one, lists what is in force and the history', async () => {
    const first = await create({
      product_id: 'CRUD-A',
      test_step: 'voltage_test',
      lower_limit: 80,
      upper_limit: 90,
      target: 85,
      unit: 'V',
    });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      site_id: site.id,
      product_id: 'CRUD-A',
      test_step: 'voltage_test',
      lower_limit: 80,
      upper_limit: 90,
      target: 85,
      unit: 'V',
      created_by: manager.id,
      in_force: true,
    });
    expect(Date.now() - Date.parse(first.json().effective_from)).toBeLessThan(60_000);

    const future = await create({
      product_id: 'CRUD-A',
      test_step: 'voltage_test',
      upper_limit: 88,
      effective_from: iso(7 * DAY),
    });
    expect(future.statusCode, future.body).toBe(201);
    expect(future.json()).toMatchObject({ lower_limit: null, upper_limit: 88, unit: null, in_force: false });

    const current = await list(`site_id=${site.id}&product_id=CRUD-A`);
    expect(current.map((l) => l.id)).toEqual([first.json().id]);
    expect(current[0]).toMatchObject({ in_force: true, created_at: expect.any(String) });

    const history = await list(`site_id=${site.id}&product_id=CRUD-A&history=true`);
    expect(history.map((l) => [l.id, l.in_force])).toEqual([
      [future.json().id, false],
      [first.json().id, true],
    ]);
    // Asked about next month, the future version is the one in force.
    const later = await list(`product_id=CRUD-A&at=${encodeURIComponent(iso(8 * DAY))}`);
    expect(later.map((l) => l.id)).toEqual([future.json().id]);
    const before = await list(`product_id=CRUD-A&at=${encodeURIComponent(iso(-DAY))}`);
    expect(before).toEqual([]);
  });

  it('reads an effective_from without an offset in the site’s time zone', async () => {
    const response = await create({
      product_id: 'CRUD-TZ',
      test_step: 'leak',
      upper_limit: 1.5,
      effective_from: '2030-01-15T10:00:00',
    });
    expect(response.statusCode, response.body).toBe(201);
    // Berlin is UTC+1 in January.
    expect(response.json().effective_from).toBe('2030-01-15T09:00:00.000Z');
  });

  it('refuses a second version from the same instant with 409', async () => {
    const at = iso(3 * DAY);
    const payload = { product_id: 'CRUD-DUP', test_step: 'leak', upper_limit: 2, effective_from: at };
    expect((await create(payload)).statusCode).toBe(201);
    const again = await create({ ...payload, upper_limit: 3 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('SPEC_LIMIT_EXISTS');
    expect(await storedCount('CRUD-DUP')).toBe(1);
  });

  it('deletes a future version (204) and keeps one in force (409, history is kept)', async () => {
    const now = await create({ product_id: 'CRUD-DEL', test_step: 'leak', lower_limit: 0 });
    const future = await create({
      product_id: 'CRUD-DEL',
      test_step: 'leak',
      lower_limit: 1,
      effective_from: iso(2 * DAY),
    });
    const refused = await remove(now.json().id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error_code).toBe('SPEC_LIMIT_IN_FORCE');
    expect(refused.json().message).toMatch(/history is kept/);

    const gone = await remove(future.json().id);
    expect(gone.statusCode, gone.body).toBe(204);
    expect(await storedCount('CRUD-DEL')).toBe(1);
    expect((await remove(future.json().id)).statusCode).toBe(404);
  });

  it('audits every creation and deletion', async () => {
    const future = await create({
      product_id: 'CRUD-AUD',
      test_step: 'leak',
      lower_limit: 1,
      effective_from: iso(DAY),
    });
    await remove(future.json().id);
    const audit = await h.request({
      method: 'GET',
      url: `/audit?entity=spec_limit&entity_id=${future.json().id}`,
      token: h.adminToken,
    });
    const actions = (audit.json().items as { action: string; entity_id: string }[])
      .filter((entry) => entry.entity_id === String(future.json().id))
      .map((entry) => entry.action)
      .sort();
    expect(actions).toEqual(['create', 'delete']);
  });
});

describe('validation', () => {
  it.each([
    ['no limit at all', { unit: 'V' }, 'lower_limit'],
    ['lower above upper', { lower_limit: 5, upper_limit: 4 }, 'upper_limit'],
    ['target below the lower limit', { lower_limit: 5, upper_limit: 9, target: 4 }, 'target'],
    ['target above the upper limit', { upper_limit: 9, target: 10 }, 'target'],
    ['a number as text', { lower_limit: '5' }, 'lower_limit'],
    ['a product code with spaces', { product_id: 'A B', upper_limit: 1 }, 'product_id'],
    ['an empty test step', { test_step: '', upper_limit: 1 }, 'test_step'],
    ['a long unit', { upper_limit: 1, unit: 'x'.repeat(21) }, 'unit'],
    ['a date that is not one', { upper_limit: 1, effective_from: 'tomorrow' }, 'effective_from'],
  ])('answers 422 to %s', async (_name, payload, field) => {
    const response = await create({ product_id: 'VAL-A', test_step: 'leak', ...payload });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().error_code).toBe('VALIDATION_FAILED');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(`body.${field}`);
  });

  it('accepts a target equal to a limit and a one-sided limit', async () => {
    const response = await create({ product_id: 'VAL-B', test_step: 'leak', lower_limit: 3, target: 3 });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('answers 404 for a site that does not exist', async () => {
    const response = await create(
      { site_id: 999_999, product_id: 'VAL-C', test_step: 'leak', upper_limit: 1 },
      h.adminToken,
    );
    expect(response.statusCode).toBe(404);
  });
});

describe('versioning: results are judged by the limits in force when measured', () => {
  it('judges results before and after the second version’s effective_from by their own version', async () => {
    const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
    const key = (await buildApiKey(h, site.id)).key;
    const v1 = await create({
      product_id: 'VER-A',
      test_step: 'voltage',
      lower_limit: 10,
      upper_limit: 20,
      effective_from: iso(-3 * DAY),
    });
    const v2 = await create({
      product_id: 'VER-A',
      test_step: 'voltage',
      lower_limit: 12,
      upper_limit: 14,
      effective_from: iso(-DAY),
    });
    expect([v1.statusCode, v2.statusCode]).toEqual([201, 201]);
    // Each was the latest version when it was made; now v2 is the one in force.
    expect([v1.json().in_force, v2.json().in_force]).toEqual([true, true]);
    const current = await list('product_id=VER-A&history=true');
    expect(current.map((l) => [l.id, l.in_force])).toEqual([
      [v2.json().id, true],
      [v1.json().id, false],
    ]);

    const result = (barcode: string, value: number, at: string) => ({
      barcode,
      machine_id: machine.code,
      product_id: 'VER-A',
      test_step: 'voltage',
      measured_value: value,
      timestamp: at,
    });
    const ingest = await h.request({
      method: 'POST',
      url: '/ingest',
      headers: { 'x-api-key': key },
      payload: [
        result('VER-1', 11, iso(-2 * DAY)),
        result('VER-2', 13, iso(-2 * DAY)),
        result('VER-3', 11, iso(-12 * HOUR)),
        result('VER-4', 13, iso(-12 * HOUR)),
        result('VER-5', 21, iso(-2 * DAY)),
        result('VER-6', 11, iso(-4 * DAY)),
      ],
    });
    expect(ingest.statusCode, ingest.body).toBe(202);

    const verdicts: Record<string, unknown> = {};
    for (const barcode of ['VER-1', 'VER-2', 'VER-3', 'VER-4', 'VER-5', 'VER-6']) {
      const response = await h.request({
        method: 'GET',
        url: `/results?barcode=${barcode}`,
        token: viewer.token,
      });
      const [row] = response.json().items;
      verdicts[barcode] = [row.verdict, row.lower_limit, row.upper_limit];
    }
    expect(verdicts).toEqual({
      'VER-1': ['PASS', 10, 20],
      'VER-2': ['PASS', 10, 20],
      'VER-3': ['FAIL', 12, 14],
      'VER-4': ['PASS', 12, 14],
      'VER-5': ['FAIL', 10, 20],
      'VER-6': ['NO_LIMIT', null, null],
    });

    // Two days ago, v1 was the version in force.
    const then = await list(`product_id=VER-A&at=${encodeURIComponent(iso(-2 * DAY))}`, viewer.token);
    expect(then.map((l) => l.id)).toEqual([v1.json().id]);
    // Both are history now: neither may be deleted.
    expect((await remove(v1.json().id)).statusCode).toBe(409);
    expect((await remove(v2.json().id)).statusCode).toBe(409);
  });

  it('keeps a future version that already judged a result (a station running ahead)', async () => {
    const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
    const key = (await buildApiKey(h, site.id)).key;
    const ahead = await create({
      product_id: 'VER-B',
      test_step: 'voltage',
      upper_limit: 5,
      effective_from: iso(HOUR),
    });
    const ingest = await h.request({
      method: 'POST',
      url: '/ingest',
      headers: { 'x-api-key': key },
      payload: {
        barcode: 'VER-B-1',
        machine_id: machine.code,
        product_id: 'VER-B',
        test_step: 'voltage',
        measured_value: 4,
        timestamp: iso(2 * HOUR),
      },
    });
    expect(ingest.statusCode, ingest.body).toBe(202);
    const refused = await remove(ahead.json().id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error_code).toBe('SPEC_LIMIT_IN_FORCE');
  });
});

describe('CSV import and export', () => {
  it('imports versions from a multipart upload, then the export imports again unchanged', async () => {
    const body = [
      HEADER,
      'LIM1,CSV-A,voltage,80,90,85,V,2026-01-01 00:00',
      'LIM1,CSV-A,voltage,84,86,,V,2026-06-01T00:00:00Z',
      'lim1,CSV-A,current,,0.5,,A,',
      'LIM1,CSV-B,leak,-1.5,1.5,0,=1+2,2026-02-01T06:00:00+01:00',
    ].join('\r\n');
    const response = await upload(body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ created: 4, unchanged: 0, rows: 4 });

    const history = await list(`site_id=${site.id}&product_id=CSV-A&history=true`);
    expect(history.map((l) => [l.test_step, l.lower_limit, l.upper_limit, l.effective_from])).toEqual([
      ['current', null, 0.5, expect.any(String)],
      ['voltage', 84, 86, '2026-06-01T00:00:00.000Z'],
      // A time without an offset is on the site's clock (Berlin, UTC+1 in January).
      ['voltage', 80, 90, '2025-12-31T23:00:00.000Z'],
    ]);

    const exported = await h.request({
      method: 'GET',
      url: `/quality/limits/export?site_id=${site.id}`,
      token: viewer.token,
    });
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toMatch(
      /filename="spec-limits-LIM1-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const text = exported.body;
    expect(text.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    // Formula-like text gets an apostrophe; a negative number stays a number.
    expect(text).toContain("LIM1,CSV-B,leak,-1.5,1.5,0,'=1+2,2026-02-01T06:00:00+01:00");
    expect(text).toContain('LIM1,CSV-A,voltage,80,90,85,V,2026-01-01T00:00:00+01:00');

    const again = await upload(text);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().created).toBe(0);
    expect(again.json().unchanged).toBe(again.json().rows);
    const unit = await list(`product_id=CSV-B`);
    expect(unit[0]?.unit).toBe('=1+2');
  });

  it('takes a text/csv body with ; and decimal commas, and site_id from the query', async () => {
    const body = ['product_id;test_step;lower_limit;upper_limit', 'CSV-C;torque;1,25;2,5'].join('\n');
    const response = await upload(body, { raw: true, query: `?site_id=${site.id}` });
    expect(response.statusCode, response.body).toBe(200);
    expect(await list(`product_id=CSV-C`)).toMatchObject([{ lower_limit: 1.25, upper_limit: 2.5 }]);
  });

  it('stores nothing when one row is wrong, and names every bad row and column', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `LIM1,CSV-BAD${i},leak,1,2,,,2026-03-01T00:00:00Z`);
    rows[4] = 'LIM1,CSV-BAD4,leak,3,2,,,2026-03-01T00:00:00Z';
    rows[9] = 'LIM1,CSV-BAD9,leak,,,,,2026-03-01T00:00:00Z';
    rows[14] = 'LIM1,CSV-BAD14,leak,abc,2,,,2026-03-01T00:00:00Z';
    rows[19] = 'NOPE,CSV-BAD19,leak,1,2,,,2026-03-01T00:00:00Z';
    rows[24] = 'LIM1,CSV-BAD24,leak,1,2,,,1st of March';
    rows[29] = rows[28]!;
    const response = await upload([HEADER, ...rows].join('\n'));
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().message).toMatch(/nothing was imported/);
    expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual([
      'row 6: upper_limit',
      'row 11: lower_limit',
      'row 16: lower_limit',
      'row 21: site_code',
      'row 26: effective_from',
      'row 31: effective_from',
    ]);
    const { rows: stored } = await owner.query(
      `select count(*)::int as n from spec_limits where product_code like 'CSV-BAD%'`,
    );
    expect(stored[0].n).toBe(0);
  });

  it('refuses unknown columns, a missing required column, and a row that rewrites a stored version', async () => {
    const unknown = await upload('product_id,test_step,upper_limit,colour\nCSV-D,leak,1,red');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('row 1: colour');

    const missing = await upload('product_id,upper_limit\nCSV-D,1');
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toContainEqual({ field: 'row 1: test_step', message: 'column missing' });

    await upload(`${HEADER}\nLIM1,CSV-E,leak,1,2,,,2026-03-01T00:00:00Z`);
    const rewrite = await upload(`${HEADER}\nLIM1,CSV-E,leak,1,3,,,2026-03-01T00:00:00Z`);
    expect(rewrite.statusCode).toBe(422);
    expect(rewrite.json().errors[0]).toMatchObject({ field: 'row 2: effective_from' });
    expect(await storedCount('CSV-E')).toBe(1);

    const empty = await upload('');
    expect(empty.statusCode).toBe(422);
    const json = await h.request({
      method: 'POST',
      url: '/quality/limits/import',
      token: manager.token,
      payload: { product_id: 'x' },
    });
    expect(json.statusCode).toBe(415);
  });
});

describe('permissions and sites', () => {
  it('lets a viewer read but not change limits', async () => {
    expect((await list('', viewer.token)).length).toBeGreaterThan(0);
    const post = await create({ product_id: 'PERM-A', test_step: 'leak', upper_limit: 1 }, viewer.token);
    expect(post.statusCode).toBe(403);
    const future = await create({
      product_id: 'PERM-A',
      test_step: 'leak',
      upper_limit: 1,
      effective_from: iso(DAY),
    });
    expect((await remove(future.json().id, viewer.token)).statusCode).toBe(403);
    expect((await upload(`${HEADER}\nLIM1,PERM-B,leak,1,2,,,`, { token: viewer.token })).statusCode).toBe(
      403,
    );
    expect(await storedCount('PERM-B')).toBe(0);
  });

  it('keeps each site’s limits to its members', async () => {
    const theirs = await create(
      {
        site_id: otherSite.id,
        product_id: 'ISO-A',
        test_step: 'leak',
        upper_limit: 1,
        effective_from: iso(DAY),
      },
      otherManager.token,
    );
    expect(theirs.statusCode, theirs.body).toBe(201);

    // The first site's manager neither sees nor touches the other site's limits.
    expect(await list('product_id=ISO-A&history=true')).toEqual([]);
    expect(
      (
        await h.request({
          method: 'GET',
          url: `/quality/limits?site_id=${otherSite.id}`,
          token: manager.token,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await create({ site_id: otherSite.id, product_id: 'ISO-B', test_step: 'leak', upper_limit: 1 }))
        .statusCode,
    ).toBe(403);
    expect((await remove(theirs.json().id)).statusCode).toBe(404);
    const exported = await h.request({
      method: 'GET',
      url: `/quality/limits/export?site_id=${otherSite.id}`,
      token: manager.token,
    });
    expect(exported.statusCode).toBe(403);
    const mine = await h.request({ method: 'GET', url: '/quality/limits/export', token: manager.token });
    expect(mine.body).not.toContain('LIM2');
    const imported = await upload(`${HEADER}\nLIM2,ISO-C,leak,1,2,,,`);
    expect(imported.statusCode).toBe(422);
    expect(imported.json().errors).toEqual([
      { field: 'row 2: site_code', message: 'no site LIM2 on your sites' },
    ]);

    // The other site's manager sees theirs.
    expect(await list('product_id=ISO-A&history=true', otherManager.token)).toHaveLength(1);
  });
});

describe('GraphQL', () => {
  const gql = (query: string, variables: Record<string, unknown> = {}, token = manager.token) =>
    h.request({ method: 'POST', url: '/graphql', token, payload: { query, variables } });

  it('creates, lists and deletes versions in camelCase', async () => {
    const created = await gql(
      `mutation ($input: SpecLimitInput!) { createSpecLimit(input: $input) { id productId lowerLimit upperLimit unit inForce effectiveFrom } }`,
      {
        input: {
          siteId: String(site.id),
          productId: 'GQL-A',
          testStep: 'leak',
          lowerLimit: 1,
          upperLimit: 2,
          unit: 'bar',
          effectiveFrom: iso(DAY),
        },
      },
    );
    expect(created.json().errors, created.body).toBeUndefined();
    const limit = created.json().data.createSpecLimit;
    expect(limit).toMatchObject({
      productId: 'GQL-A',
      lowerLimit: 1,
      upperLimit: 2,
      unit: 'bar',
      inForce: false,
    });

    const listed = await gql(
      `query ($filter: SpecLimitFilter) { specLimits(filter: $filter) { id testStep inForce } }`,
      { filter: { productId: 'GQL-A', history: true } },
    );
    expect(listed.json().data.specLimits).toEqual([{ id: limit.id, testStep: 'leak', inForce: false }]);

    const invalid = await gql(
      `mutation ($input: SpecLimitInput!) { createSpecLimit(input: $input) { id } }`,
      { input: { siteId: String(site.id), productId: 'GQL-A', testStep: 'leak' } },
    );
    expect(invalid.json().errors[0].extensions.code).toBe('VALIDATION_FAILED');

    const forbidden = await gql(`mutation { deleteSpecLimit(id: "${limit.id}") }`, {}, viewer.token);
    expect(forbidden.json().errors[0].extensions.code).toBe('FORBIDDEN');
    const deleted = await gql(`mutation { deleteSpecLimit(id: "${limit.id}") }`);
    expect(deleted.json()).toEqual({ data: { deleteSpecLimit: true } });
  });
});
