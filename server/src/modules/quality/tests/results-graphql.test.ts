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

/**
 * The quality reads, alerts and ingest over GraphQL (results.graphql.ts) against their REST twins:
 * results sent through the mutation and through POST /ingest read back the same through both doors,
 * with the same permissions and the same per-item validation errors.
 */
let h: Harness;
let owner: pg.Client;
let key: string;
let siteId: number;
let machineA: MachineRecord;
let machineB: MachineRecord;
let viewer: UserRecord;
let manager: UserRecord;

/** Recent instants (within the last hour: the tiles count them, the default periods include them). */
const base = Date.now() - 30 * 60_000;
let seq = 0;
const at = () => new Date(base + ++seq * 1000).toISOString();
const FROM = new Date(base - 60 * 60_000).toISOString();
const TO = new Date(base + 60 * 60_000).toISOString();

interface GqlError {
  message: string;
  extensions: { code: string; errors?: { field: string; message: string }[] };
}
interface GqlAnswer {
  data: Record<string, unknown> | null;
  errors?: GqlError[];
}

async function gql(
  credentials: Record<string, string>,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlAnswer> {
  const response = await h.request({
    method: 'POST',
    url: '/graphql',
    headers: credentials,
    payload: { query, variables },
  });
  return response.json();
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const admin = () => bearer(h.adminToken);

/** The data of a call that must succeed (its errors are shown when it does not). */
async function ok(credentials: Record<string, string>, query: string, variables?: Record<string, unknown>) {
  const answer = await gql(credentials, query, variables);
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data as Record<string, unknown>;
}
const codeOf = (answer: GqlAnswer) => answer.errors?.[0]?.extensions.code;
const fieldsOf = (answer: GqlAnswer) => answer.errors?.[0]?.extensions.errors?.map((e) => e.field);

const rest = async (url: string, token = h.adminToken) => {
  const response = await h.request({ method: 'GET', url, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

/** A REST answer in GraphQL’s shape: camelCase keys. */
const camel = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(camel);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
        camel(v),
      ]),
    );
  return value;
};
/** GraphQL ids are strings; REST's are numbers (no code or barcode in these tests is all digits). */
const numericIds = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(numericIds);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, numericIds(v)]));
  return typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
};
const same = (graphql: unknown, restAnswer: unknown) =>
  expect(numericIds(graphql)).toEqual(camel(restAnswer));

const RESULT =
  'id siteId machineId machineCode barcode productId testStep measuredValue unit timestamp receivedAt verdict lowerLimit upperLimit';
const COUNTS = 'totalTests passCount failCount noLimitCount passRate';
const INGEST = `mutation($results: [TestResultInput!]!) { ingestTestResults(results: $results) { accepted message } }`;

const item = (machine: MachineRecord, overrides: Record<string, unknown> = {}) => ({
  barcode: `SN-G${++seq}`,
  machineId: machine.code,
  productId: 'PROD-G',
  testStep: 'voltage_test',
  measuredValue: 85,
  timestamp: at(),
  unit: 'V',
  ...overrides,
});

async function storedCount(barcodePrefix: string): Promise<number> {
  const { rows } = await owner.query('select count(*)::int as n from test_results where barcode like $1', [
    `${barcodePrefix}%`,
  ]);
  return rows[0].n;
}

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
  const site = await buildSite(h, { time_zone: 'Europe/Berlin' });
  siteId = site.id;
  const line = await buildLine(h, site.id);
  machineA = await buildMachine(h, line.id);
  machineB = await buildMachine(h, line.id);
  key = (await buildApiKey(h, site.id)).key;
  viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
  manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
  await owner.query(
    `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, target, unit, effective_from)
     values ($1, 'PROD-G', 'voltage_test', 80, 90, 85, 'V', '2026-01-01T00:00:00Z'),
            ($1, 'PROD-G', 'leak_test', 0, 5, null, 'mbar', '2026-01-01T00:00:00Z')`,
    [site.id],
  );
});
afterAll(async () => {
  await owner.end();
  await h.close();
});

describe('quality over GraphQL', () => {
  let unit: string;

  it('ingests through the mutation (admin token) and POST /ingest (API key), judged alike', async () => {
    unit = `SN-TRACE-${seq}`;
    const sent = await ok(admin(), INGEST, {
      results: [
        item(machineA, { barcode: unit, measuredValue: 85 }),
        item(machineA, { measuredValue: 95 }),
        item(machineA, { testStep: 'leak_test', measuredValue: 2, unit: null }),
        item(machineA, { productId: 'PROD-NOLIMIT' }),
      ],
    });
    expect(sent.ingestTestResults).toEqual({ accepted: 4, message: '4 result(s) accepted' });

    const response = await h.request({
      method: 'POST',
      url: '/ingest',
      headers: { 'x-api-key': key },
      payload: [
        {
          barcode: unit,
          machine_id: machineB.code,
          product_id: 'PROD-G',
          test_step: 'leak_test',
          measured_value: 7,
          timestamp: at(),
        },
        {
          barcode: `SN-R${seq}`,
          machine_id: machineB.code,
          product_id: 'PROD-G',
          test_step: 'voltage_test',
          measured_value: 84.5,
          timestamp: at(),
        },
      ],
    });
    expect(response.statusCode, response.body).toBe(202);

    const trace = await ok(
      admin(),
      `query($b: String!) { unitTrace(barcode: $b) { verdict results { machineCode verdict } } }`,
      {
        b: unit,
      },
    );
    expect(trace.unitTrace).toEqual({
      verdict: 'FAIL',
      results: [
        { machineCode: machineA.code, verdict: 'PASS' },
        { machineCode: machineB.code, verdict: 'FAIL' },
      ],
    });
  });

  it('reads a station’s time without an offset in the site’s zone, as POST /ingest does', async () => {
    const barcode = `SN-LOCAL-${seq}`;
    await ok(admin(), INGEST, { results: [item(machineA, { barcode, timestamp: '2026-10-27T10:00:00' })] });
    const trace = await ok(
      admin(),
      `{ unitTrace(barcode: "${barcode}") { firstSeen results { timestamp } } }`,
    );
    // 10:00 in Berlin (CET, +01:00 after the October change) is 09:00 UTC.
    expect(trace.unitTrace).toEqual({
      firstSeen: '2026-10-27T09:00:00.000Z',
      results: [{ timestamp: '2026-10-27T09:00:00.000Z' }],
    });
  });

  it('pages results like GET /results, with the same cursors', async () => {
    const query = `query($f: TestResultPageFilter, $first: Int, $after: String) {
      testResultsPage(filter: $f, first: $first, after: $after) { items { ${RESULT} } nextCursor }
    }`;
    const filter = { siteId, machineId: machineA.code.toLowerCase(), from: FROM, to: TO };
    const first = (await ok(bearer(viewer.token), query, { f: filter, first: 2 })).testResultsPage as {
      items: unknown[];
      nextCursor: string;
    };
    const restFirst = await rest(
      `/results?site_id=${siteId}&machine_id=${machineA.code.toLowerCase()}&from=${FROM}&to=${TO}&limit=2`,
      viewer.token,
    );
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    same(first, restFirst);

    const second = (await ok(bearer(viewer.token), query, { f: filter, first: 2, after: first.nextCursor }))
      .testResultsPage;
    const restSecond = await rest(
      `/results?site_id=${siteId}&machine_id=${machineA.code.toLowerCase()}&from=${FROM}&to=${TO}&limit=2&cursor=${encodeURIComponent(restFirst.next_cursor)}`,
      viewer.token,
    );
    same(second, restSecond);
    expect(second).toMatchObject({ nextCursor: null });

    const fails = (await ok(admin(), query, { f: { verdict: 'FAIL', productId: 'PROD-G' } })).testResultsPage;
    same(fails, await rest(`/results?verdict=FAIL&product_id=PROD-G`));
    const byBarcode = (await ok(admin(), query, { f: { barcode: unit } })).testResultsPage;
    same(byBarcode, await rest(`/results?barcode=${unit}`));
    expect((byBarcode as { items: unknown[] }).items).toHaveLength(2);
  });

  it('answers a machine’s latest result, a unit’s trace and pass-rate counts as REST does', async () => {
    const status = `query($m: String!) {
      machineTestStatus(machine: $m) { machineId machineKey lastResult { ${RESULT} } lastVerdict lastSeen }
    }`;
    for (const ref of [machineA.code, String(machineB.id)]) {
      const answer = await ok(admin(), status, { m: ref });
      same(answer.machineTestStatus, await rest(`/machines/${ref}/status`));
    }

    const trace = await ok(
      admin(),
      `query($b: String!) { unitTrace(barcode: $b) { barcode verdict firstSeen lastSeen results { ${RESULT} } } }`,
      {
        b: unit,
      },
    );
    same(trace.unitTrace, await rest(`/units/${unit}`));

    const metrics = `query($site: ID, $m: String, $p: String, $s: String, $from: DateTime, $to: DateTime, $bucket: QualityMetricsBucketSize) {
      qualityMetrics(siteId: $site, machineId: $m, productId: $p, testStep: $s, from: $from, to: $to, bucket: $bucket) {
        from to ${COUNTS} buckets { bucketStart ${COUNTS} }
      }
    }`;
    const hourly = await ok(admin(), metrics, { site: siteId, from: FROM, to: TO, bucket: 'HOUR' });
    same(
      hourly.qualityMetrics,
      await rest(`/quality/metrics?site_id=${siteId}&from=${FROM}&to=${TO}&bucket=hour`),
    );
    expect(hourly.qualityMetrics).toMatchObject({
      totalTests: 6,
      passCount: 3,
      failCount: 2,
      noLimitCount: 1,
    });

    const step = await ok(admin(), metrics, {
      m: machineA.code,
      p: 'PROD-G',
      s: 'voltage_test',
      from: FROM,
      to: TO,
    });
    const restStep = await rest(
      `/quality/metrics?machine_id=${machineA.code}&product_id=PROD-G&test_step=voltage_test&from=${FROM}&to=${TO}`,
    );
    same(step.qualityMetrics, { ...restStep, buckets: null });
    expect(step.qualityMetrics).toMatchObject({ totalTests: 2, passCount: 1, failCount: 1, passRate: 0.5 });
  });

  it('answers the dashboard reads (tiles, top failures, control chart) as REST does', async () => {
    const tiles = await ok(
      admin(),
      `query($site: ID) { qualityMachineTiles(siteId: $site) {
        machineKey machineId machineName siteId lineId lineCode lastVerdict lastSeen
        hourTotal hourPass hourFail hourPassRate openAlerts colour
      } }`,
      { site: siteId },
    );
    const restTiles = await rest(`/quality/machines?site_id=${siteId}`);
    same(
      tiles.qualityMachineTiles,
      restTiles.map((tile: { colour: string }) => ({ ...tile, colour: tile.colour.toUpperCase() })),
    );
    expect(restTiles).toHaveLength(2);

    const top = await ok(
      admin(),
      `query($site: ID, $from: DateTime, $to: DateTime) {
        qualityTopFailures(siteId: $site, from: $from, to: $to, limit: 5) { productId testStep failCount total failRate }
      }`,
      { site: siteId, from: FROM, to: TO },
    );
    same(
      top.qualityTopFailures,
      await rest(`/quality/top-failures?site_id=${siteId}&from=${FROM}&to=${TO}&limit=5`),
    );
    expect(top.qualityTopFailures).toHaveLength(2);

    const spc = await ok(
      admin(),
      `query($m: String) { qualitySpc(productId: "PROD-G", testStep: "voltage_test", machineId: $m, limit: 10) {
        productId testStep points { id timestamp value movingRange barcode verdict }
        n mean mrBar sigma ucl lcl mrUcl cp cpk reason lowerLimit upperLimit target unit
      } }`,
      { m: machineA.code },
    );
    same(
      spc.qualitySpc,
      await rest(
        `/quality/spc?product_id=PROD-G&test_step=voltage_test&machine_id=${machineA.code}&limit=10`,
      ),
    );
    expect(spc.qualitySpc).toMatchObject({ n: 2, lowerLimit: 80, upperLimit: 90, target: 85, unit: 'V' });
  });

  it('saves a site’s alert rule, lists the alert it raises and acknowledges it; a viewer can do neither', async () => {
    const RULE = 'siteId consecutiveFails minPassRate minSample isDefault';
    const before = await ok(bearer(viewer.token), `{ qualityAlertRule(siteId: "${siteId}") { ${RULE} } }`);
    same(before.qualityAlertRule, await rest(`/quality/alert-rules/${siteId}`, viewer.token));
    expect(before.qualityAlertRule).toMatchObject({ isDefault: true });

    const save = (token: string, consecutiveFails: number) =>
      gql(
        bearer(token),
        `mutation($site: ID!, $n: Int!) {
          saveQualityAlertRule(siteId: $site, consecutiveFails: $n, minPassRate: 50, minSample: 1000) { ${RULE} }
        }`,
        { site: siteId, n: consecutiveFails },
      );
    expect(codeOf(await save(viewer.token, 2))).toBe('FORBIDDEN');
    const invalid = await save(manager.token, 0);
    expect(codeOf(invalid)).toBe('VALIDATION_FAILED');
    expect(fieldsOf(invalid)).toEqual(['consecutive_fails']);
    const saved = (await save(manager.token, 2)) as GqlAnswer;
    expect(saved.errors).toBeUndefined();
    expect(saved.data?.saveQualityAlertRule).toEqual({
      siteId: String(siteId),
      consecutiveFails: 2,
      minPassRate: 50,
      minSample: 1000,
      isDefault: false,
    });
    same(
      (await ok(admin(), `{ qualityAlertRule(siteId: "${siteId}") { ${RULE} } }`)).qualityAlertRule,
      await rest(`/quality/alert-rules/${siteId}`),
    );

    // Two FAILs in a row of one machine and step raise an alert (after the batch is stored).
    await ok(admin(), INGEST, {
      results: [item(machineB, { testStep: 'leak_test', measuredValue: 9 })],
    });
    const ALERT =
      'id siteId machineId machineCode testStep kind message raisedAt clearedAt acknowledgedBy acknowledgedAt';
    const alerts = async () =>
      (
        await ok(bearer(viewer.token), `query($site: ID) { qualityAlerts(siteId: $site) { ${ALERT} } }`, {
          site: siteId,
        })
      ).qualityAlerts as { id: string; kind: string }[];
    const open = await until(alerts, (list) => list.length > 0);
    expect(open).toMatchObject([
      { machineCode: machineB.code, testStep: 'leak_test', kind: 'CONSECUTIVE_FAILS' },
    ]);
    const restAlerts = async () =>
      (await rest(`/quality/alerts?site_id=${siteId}`)).map((a: { kind: string }) => ({
        ...a,
        kind: a.kind.toUpperCase(),
      }));
    same(open, await restAlerts());

    const acknowledge = (token: string, id: string) =>
      gql(bearer(token), `mutation($id: ID!) { acknowledgeQualityAlert(id: $id) }`, { id });
    const id = open[0]!.id;
    expect(codeOf(await acknowledge(viewer.token, id))).toBe('FORBIDDEN');
    expect(codeOf(await acknowledge(manager.token, '999999'))).toBe('NOT_FOUND');
    expect((await acknowledge(manager.token, id)).data).toEqual({ acknowledgeQualityAlert: true });
    const acknowledged = await alerts();
    expect(acknowledged[0]).toMatchObject({ id, acknowledgedBy: String(manager.id), clearedAt: null });
    same(acknowledged, await restAlerts());

    const all = await ok(admin(), `{ qualityAlerts(siteId: "${siteId}", open: false, limit: 10) { id } }`);
    expect(all.qualityAlerts).toEqual([{ id }]);
  });

  it('lets a machine API key ingest but not read, and a viewer read but not ingest', async () => {
    const machine = { 'x-api-key': key };
    const sent = await ok(machine, INGEST, { results: [item(machineA, { barcode: `SN-KEY-${seq}` })] });
    expect(sent.ingestTestResults).toMatchObject({ accepted: 1 });
    for (const query of [
      `{ testResultsPage { items { id } } }`,
      `{ machineTestStatus(machine: "${machineA.code}") { machineId } }`,
      `{ qualityMetrics { totalTests } }`,
      `{ unitTrace(barcode: "${unit}") { verdict } }`,
      `{ qualityMachineTiles { colour } }`,
      `{ qualityTopFailures { failCount } }`,
      `{ qualitySpc(productId: "PROD-G", testStep: "voltage_test") { n } }`,
      `{ qualityAlerts { id } }`,
      `{ qualityAlertRule(siteId: "${siteId}") { isDefault } }`,
    ]) {
      expect(codeOf(await gql(machine, query)), query).toBe('FORBIDDEN');
    }

    const refused = await gql(bearer(viewer.token), INGEST, {
      results: [item(machineA, { barcode: 'SN-VIEWER-1' })],
    });
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(await storedCount('SN-VIEWER-')).toBe(0);
    expect(codeOf(await gql({}, `{ qualityMetrics { totalTests } }`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a batch with an invalid item as a whole, naming each item and field', async () => {
    const invalid = await gql(admin(), INGEST, {
      results: [
        item(machineA, { barcode: 'SN-BAD-1' }),
        item(machineA, { barcode: 'SN BAD 2' }),
        item(machineA, { barcode: 'SN-BAD-3', timestamp: 'yesterday' }),
      ],
    });
    expect(codeOf(invalid)).toBe('VALIDATION_FAILED');
    expect(fieldsOf(invalid)).toEqual(['1.barcode', '2.timestamp']);
    expect(invalid.errors?.[0]?.message).toMatch(/^2 of 3 result\(s\) are invalid/);

    const unknown = await gql(admin(), INGEST, {
      results: [
        item(machineA, { barcode: 'SN-BAD-4' }),
        item(machineA, { barcode: 'SN-BAD-5', machineId: 'NOPE-9' }),
      ],
    });
    expect(codeOf(unknown)).toBe('UNKNOWN_MACHINE');
    expect(fieldsOf(unknown)).toEqual(['1.machine_id']);

    const empty = await gql(admin(), INGEST, { results: [] });
    expect(codeOf(empty)).toBe('VALIDATION_FAILED');
    expect(await storedCount('SN-BAD-')).toBe(0);

    // Arguments go through the REST DTOs: the same rules and field names.
    const page = await gql(admin(), `{ testResultsPage(first: 0, after: "not-a-cursor") { nextCursor } }`);
    expect(codeOf(page)).toBe('VALIDATION_FAILED');
    expect(fieldsOf(page)?.sort()).toEqual(['cursor', 'limit']);
    const spc = await gql(admin(), `{ qualitySpc(productId: "PROD-G", testStep: " ", limit: 1) { n } }`);
    expect(fieldsOf(spc)?.sort()).toEqual(['limit', 'test_step']);
    const period = await gql(admin(), `{ qualityMetrics(from: "${TO}", to: "${FROM}") { totalTests } }`);
    expect(codeOf(period)).toBe('INVALID_PERIOD');
    expect(codeOf(await gql(admin(), `{ unitTrace(barcode: "SN-NEVER-SEEN") { verdict } }`))).toBe(
      'NOT_FOUND',
    );
  });
});
