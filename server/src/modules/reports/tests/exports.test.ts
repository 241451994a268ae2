import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../platform/auth/actor.ts';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { openExport } from '../export.stream.ts';

let h: Harness;
let siteA: SiteRecord;
let siteB: SiteRecord;
let technician: UserRecord;
let viewer: UserRecord;
let planner: UserRecord;
let machineA: MachineRecord;
let machineB: MachineRecord;
let failureCodeId: number;
let reasonId: number;

const FORMULA = '=HYPERLINK("http://evil.example","click")';

beforeAll(async () => {
  h = await createHarness();
  siteA = await buildSite(h, { name: 'Plant Alpha' });
  siteB = await buildSite(h, { name: 'Plant Beta' });
  [technician, viewer, planner] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [siteA.id] }),
    buildUser(h, { role: 'viewer', site_ids: [siteA.id] }),
    buildUser(h, { role: 'planner', site_ids: [siteA.id, siteB.id] }),
  ]);
  machineA = await buildMachine(h, (await buildLine(h, siteA.id)).id);
  machineB = await buildMachine(h, (await buildLine(h, siteB.id)).id);
  const codes = (
    await h.request({ method: 'GET', url: '/catalog/failure-codes', token: h.adminToken })
  ).json();
  failureCodeId = codes.find((c: { code: string }) => c.code === 'FL-001').id;
  const reasons = (
    await h.request({ method: 'GET', url: '/catalog/downtime-reasons', token: h.adminToken })
  ).json();
  reasonId = reasons.find((r: { code: string }) => r.code === 'MECH_BREAKDOWN').id;

  const repair = async (machine: MachineRecord, day: number, description: string) => {
    const response = await h.request({
      method: 'POST',
      url: '/repairs',
      token: h.adminToken,
      payload: {
        machine_id: machine.id,
        start_datetime: `2026-02-${String(day).padStart(2, '0')}T08:00:00Z`,
        description,
        failure_code_id: failureCodeId,
        technician_ids: [],
        parts: [{ part: 'Seal kit', quantity: 2 }],
      },
    });
    expect(response.statusCode).toBe(201);
  };
  for (let day = 1; day <= 7; day += 1) await repair(machineA, day, `Leak number ${day}`);
  await repair(machineA, 8, FORMULA);
  await repair(machineB, 9, 'Beta only repair');
  for (let day = 1; day <= 5; day += 1) {
    const stop = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: h.adminToken,
      payload: {
        machine_id: day === 5 ? machineB.id : machineA.id,
        start_datetime: `2026-02-0${day}T10:00:00Z`,
        end_datetime: `2026-02-0${day}T11:30:00Z`,
        reason_id: reasonId,
        comment: day === 3 ? '+SUM(A1:A9)' : `stop ${day}`,
      },
    });
    expect(stop.statusCode).toBe(201);
  }
});
afterAll(() => h.close());

const get = (url: string, token: string) => h.request({ method: 'GET', url, token });

/** Every page of a list endpoint, as the web app would read it. */
async function listAll(path: string, token: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const response = await get(
      `${path}${separator}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      token,
    );
    expect(response.statusCode).toBe(200);
    const page = response.json();
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function csvRows(body: string): Record<string, string>[] {
  expect(body.startsWith('\uFEFF')).toBe(true);
  return parse(body.slice(1), { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
}

describe('exports of repairs and downtimes', () => {
  for (const list of ['repairs', 'downtimes'] as const) {
    for (const filter of [`site_id=${0}`, 'from=2026-02-02T00:00:00Z&to=2026-02-07T00:00:00Z']) {
      it(`${list}: JSON and CSV hold exactly the list endpoint's rows (${filter.startsWith('site') ? 'site' : 'period'} filter)`, async () => {
        const query = filter.replace('site_id=0', `site_id=${siteA.id}`);
        const expected = await listAll(`/${list}?${query}`, technician.token);
        expect(expected.length).toBeGreaterThan(2);

        const json = await get(`/exports/${list}?format=json&${query}`, technician.token);
        expect(json.statusCode).toBe(200);
        expect(json.headers['content-type']).toContain('application/json');
        expect(json.headers['content-disposition']).toMatch(
          new RegExp(`attachment; filename="${list}_${siteA.code}_\\d{4}-\\d{2}-\\d{2}\\.json"`),
        );
        expect(json.json()).toEqual(expected);

        const csv = await get(`/exports/${list}?format=csv&${query}`, technician.token);
        expect(csv.statusCode).toBe(200);
        expect(csv.headers['content-type']).toContain('text/csv');
        const rows = csvRows(csv.body);
        expect(rows.map((row) => Number(row.id))).toEqual(expected.map((row) => row.id));
        expect(rows.map((row) => row.start_datetime)).toEqual(expected.map((row) => row.start_datetime));
      });
    }
  }

  it('CSV columns follow the list fields; nested fields are flattened', async () => {
    const csv = await get(`/exports/repairs?machine_id=${machineA.id}`, technician.token);
    expect(csv.statusCode).toBe(200);
    const [header] = csv.body.slice(1).split('\r\n');
    expect(header?.split(',').slice(0, 4)).toEqual(['id', 'site_id', 'machine_id', 'machine_code']);
    const rows = csvRows(csv.body);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toMatchObject({ failure_code: 'FL-001', parts: 'Seal kit × 2', end_datetime: '' });
  });

  it('defuses cells a spreadsheet would run as formulas', async () => {
    const repairs = csvRows((await get(`/exports/repairs?site_id=${siteA.id}`, technician.token)).body);
    expect(repairs.map((row) => row.description)).toContain(`'${FORMULA}`);
    const downtimes = csvRows((await get(`/exports/downtimes?site_id=${siteA.id}`, technician.token)).body);
    expect(downtimes.map((row) => row.comment)).toContain("'+SUM(A1:A9)");
    // JSON keeps the text as it is.
    const json = (await get(`/exports/repairs?site_id=${siteA.id}&format=json`, technician.token)).json();
    expect(json.map((row: { description: string }) => row.description)).toContain(FORMULA);
  });

  it("never exports another site's rows", async () => {
    const all = (await get('/exports/repairs?format=json', technician.token)).json();
    expect(all.length).toBe(8);
    expect(all.every((row: { site_id: number }) => row.site_id === siteA.id)).toBe(true);
    const downtimes = (await get('/exports/downtimes?format=json', technician.token)).json();
    expect(downtimes.every((row: { site_id: number }) => row.site_id === siteA.id)).toBe(true);
    const other = await get(`/exports/repairs?site_id=${siteB.id}`, technician.token);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('Beta only repair');
    // Someone on both sites gets both; the file name says so.
    const both = await get('/exports/repairs?format=json', planner.token);
    expect(both.json()).toHaveLength(9);
    expect(both.headers['content-disposition']).toContain('repairs_all-sites_');
  });

  it('refuses a viewer (no report:read), an unknown format and bad filters', async () => {
    const viewerTry = await get('/exports/repairs', viewer.token);
    expect(viewerTry.statusCode).toBe(403);
    expect(viewerTry.json().message).toContain('report:read');
    expect((await h.request({ method: 'GET', url: '/exports/downtimes' })).statusCode).toBe(401);
    const xml = await get('/exports/repairs?format=xml', technician.token);
    expect(xml.statusCode).toBe(400);
    expect(xml.json()).toMatchObject({ error_code: 'UNKNOWN_EXPORT_FORMAT' });
    expect(xml.json().message).toContain('csv, json');
    const badFilter = await get('/exports/repairs?status=broken', technician.token);
    expect(badFilter.statusCode).toBe(422);
  });

  it('reads in keyset chunks with no page limit, and stops an export over the row cap', async () => {
    const list = h.server.modules.reports.lists.find((candidate) => candidate.name === 'repairs');
    if (!list) throw new Error('no repairs export');
    const read = async (limits: { chunk: number; maxRows?: number }) => {
      let text = '';
      for await (const chunk of await openExport(
        list,
        systemContext(),
        { site_id: siteA.id },
        'json',
        limits,
      )) {
        text += chunk;
      }
      return JSON.parse(text) as { id: number }[];
    };
    const expected = await listAll(`/repairs?site_id=${siteA.id}`, technician.token);
    expect((await read({ chunk: 2 })).map((row) => row.id)).toEqual(expected.map((row) => row.id));
    expect((await read({ chunk: 3, maxRows: 8 })).length).toBe(8);
    await expect(read({ chunk: 2, maxRows: 7 })).rejects.toMatchObject({ code: 'EXPORT_TOO_LARGE' });
  });
});

describe('exports of tools, shot readings, maintenance logs, failure reports and action items', () => {
  let owner: pg.Client;
  let toolA: number;

  beforeAll(async () => {
    owner = new pg.Client({ connectionString: h.ownerUrl });
    await owner.connect();
    const tools = await owner.query<{ id: number; site_id: number }>(
      // Distinct creation times in whole milliseconds: the tools list's cursor keeps milliseconds only.
      `insert into tools (site_id, asset_number, name, life_limit_shots, total_shots, notes, created_at)
       select $1::bigint, 'MLD-' || n, 'Mould ' || n, 100000, n * 1000, case when n = 2 then '@SUM(1+1)' end,
              '2026-03-01T00:00:00Z'::timestamptz + n * interval '1 second'
         from generate_series(1, 4) n
       union all select $2::bigint, 'MLD-B1', 'Beta mould', null, 0, null, '2026-03-01T00:00:00Z'
       returning id, site_id`,
      [siteA.id, siteB.id],
    );
    toolA = tools.rows[0]?.id ?? 0;
    const toolB = tools.rows.find((tool) => tool.site_id === siteB.id)?.id;
    await owner.query(
      `insert into tool_shot_readings (tool_id, site_id, taken_at, source, kind, counter_value, delta)
       select $1::bigint, $2::bigint, '2026-03-01T00:00:00Z'::timestamptz + n * interval '1 hour', 'manual', 'counter', n * 100, 100
         from generate_series(1, 5) n
       union all select $3::bigint, $4::bigint, '2026-03-01T00:00:00Z', 'manual', 'counter', 7, 0`,
      [toolA, siteA.id, toolB, siteB.id],
    );
    await owner.query(
      `insert into maintenance_logs (site_id, tool_id, kind, performed_by, started_at, duration_minutes, findings)
       select $1::bigint, $2::bigint, 'cleaning', $3::bigint, '2026-03-02T00:00:00Z'::timestamptz + n * interval '1 day', 30 + n, 'Vents clean ' || n
         from generate_series(1, 3) n
       union all select $4::bigint, $5::bigint, 'cleaning', $3::bigint, '2026-03-02T00:00:00Z', 10, 'Beta log'`,
      [siteA.id, toolA, planner.id, siteB.id, toolB],
    );
    await owner.query(
      `insert into failure_reports (site_id, machine_id, failure_code_id, severity, description, occurred_at)
       select $1::bigint, $2::bigint, $3::bigint, 'medium', 'Crack ' || n, '2026-03-03T00:00:00Z'::timestamptz + n * interval '1 hour'
         from generate_series(1, 3) n
       union all select $4::bigint, $5::bigint, $3::bigint, 'low', 'Beta failure', '2026-03-03T00:00:00Z'`,
      [siteA.id, machineA.id, failureCodeId, siteB.id, machineB.id],
    );
    await owner.query(
      `insert into action_items (site_id, title, source, priority, due_at)
       select $1::bigint, 'Action ' || n, 'manual', 'medium', '2026-03-10T00:00:00Z'::timestamptz + n * interval '1 day'
         from generate_series(1, 4) n
       union all select $2::bigint, 'Beta action', 'manual', 'low', null`,
      [siteA.id, siteB.id],
    );
  });
  afterAll(() => owner.end());

  for (const list of ['tools', 'maintenance-logs', 'failure-reports', 'action-items'] as const) {
    it(`${list}: JSON and CSV hold exactly the list endpoint's rows, and only the caller's sites`, async () => {
      const expected = await listAll(`/${list}?site_id=${siteA.id}`, technician.token);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      const json = await get(`/exports/${list}?format=json&site_id=${siteA.id}`, technician.token);
      expect(json.statusCode).toBe(200);
      expect(json.json()).toEqual(expected);
      const csv = await get(`/exports/${list}?site_id=${siteA.id}`, technician.token);
      expect(csv.statusCode).toBe(200);
      expect(csvRows(csv.body).map((row) => Number(row.id))).toEqual(expected.map((row) => row.id));
      const everything = (await get(`/exports/${list}?format=json`, technician.token)).json();
      expect(everything.every((row: { site_id: number }) => row.site_id === siteA.id)).toBe(true);
      expect(JSON.stringify(everything)).not.toContain('Beta');
    });
  }

  it("shot-readings: a tool's readings as GET /tools/:id/shots shows them, newest first, never another site's", async () => {
    const summary = await get(`/tools/${toolA}/shots`, technician.token);
    expect(summary.statusCode).toBe(200);
    const readings = summary.json().readings as Record<string, unknown>[];
    expect(readings).toHaveLength(5);
    const json = (await get(`/exports/shot-readings?format=json&tool_id=${toolA}`, technician.token)).json();
    expect(
      json.map(({ site_id: _site, asset_number: _asset, ...reading }: Record<string, unknown>) => reading),
    ).toEqual(readings);
    expect(json[0]).toMatchObject({ asset_number: 'MLD-1', site_id: siteA.id });
    const csv = csvRows((await get(`/exports/shot-readings?site_id=${siteA.id}`, technician.token)).body);
    expect(csv.map((row) => Number(row.id))).toEqual(readings.map((reading) => reading.id));
    const all = (await get('/exports/shot-readings?format=json', technician.token)).json();
    expect(all).toHaveLength(5);
    const period = (
      await get(
        `/exports/shot-readings?format=json&from=2026-03-01T02:00:00Z&to=2026-03-01T04:00:00Z`,
        technician.token,
      )
    ).json();
    expect(period.map((row: { counter_value: number }) => row.counter_value)).toEqual([300, 200]);
  });

  it('defuses formula-like tool notes in CSV', async () => {
    const rows = csvRows((await get(`/exports/tools?site_id=${siteA.id}`, technician.token)).body);
    expect(rows.map((row) => row.notes)).toContain("'@SUM(1+1)");
  });
});
