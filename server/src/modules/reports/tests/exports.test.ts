import { parse } from 'csv-parse/sync';
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
