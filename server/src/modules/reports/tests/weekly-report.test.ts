import pg from 'pg';
import { extractText, getDocumentProxy } from 'unpdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { evaluatePm } from '../../tools/index.ts';
import { createWeeklyReportService } from '../index.ts';
import { dueWeek, weekContaining } from '../weekly.week.ts';

let h: Harness;
let owner: pg.Client;
let site: SiteRecord;
let quiet: SiteRecord;
let technician: UserRecord;
let viewer: UserRecord;
let manager: UserRecord;
let machine: MachineRecord;

const MANAGER_EMAIL = 'maintenance.manager@plant.example';
/** Monday 16 to Sunday 22 November 2026 on the site's clock (Europe/Berlin, UTC+1). */
const WEEK = '2026-11-16';

async function pdfText(bytes: Buffer): Promise<string> {
  const document = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(document, { mergePages: true });
  return text.replace(/\s+/g, ' ');
}

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  site = await buildSite(h, { name: 'Werk Süd Moulding', time_zone: 'Europe/Berlin' });
  quiet = await buildSite(h, { name: 'Quiet plant', time_zone: 'America/New_York' });
  [technician, viewer, manager] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
  ]);
  await owner.query('update users set email = $1, full_name = $2 where id = $3', [
    MANAGER_EMAIL,
    'Maria Manager',
    manager.id,
  ]);
  await owner.query("update users set full_name = 'Tom Technician' where id = $1", [technician.id]);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);

  const reasons = (
    await h.request({ method: 'GET', url: '/catalog/downtime-reasons', token: h.adminToken })
  ).json();
  const breakdown = reasons.find((r: { code: string }) => r.code === 'MECH_BREAKDOWN').id;
  // Two failures in the week: 1 h and 2 h → MTTR 1.50 h.
  for (const [start, end] of [
    ['2026-11-17T08:00:00+01:00', '2026-11-17T09:00:00+01:00'],
    ['2026-11-19T10:00:00+01:00', '2026-11-19T12:00:00+01:00'],
  ]) {
    const stop = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: h.adminToken,
      payload: { machine_id: machine.id, start_datetime: start, end_datetime: end, reason_id: breakdown },
    });
    expect(stop.statusCode).toBe(201);
  }
  const codes = (
    await h.request({ method: 'GET', url: '/catalog/failure-codes', token: h.adminToken })
  ).json();
  const code = (wanted: string) => codes.find((c: { code: string }) => c.code === wanted).id;
  // FL-002 three times (two repairs, one failure report), FL-001 once: FL-002 is the top code.
  for (const [day, failureCode] of [
    ['17', 'FL-002'],
    ['18', 'FL-002'],
    ['20', 'FL-001'],
  ] as const) {
    const repair = await h.request({
      method: 'POST',
      url: '/repairs',
      token: h.adminToken,
      payload: {
        machine_id: machine.id,
        start_datetime: `2026-11-${day}T09:00:00+01:00`,
        description: 'Repair in the week',
        failure_code_id: code(failureCode),
      },
    });
    expect(repair.statusCode).toBe(201);
  }
  await owner.query(
    `insert into failure_reports (site_id, machine_id, failure_code_id, severity, description, occurred_at)
     values ($1, $2, $3, 'high', 'Hydraulic hose burst', '2026-11-18T14:00:00+01:00')`,
    [site.id, machine.id, code('FL-002')],
  );
  // A repair of the week before: not counted.
  await owner.query(
    `insert into repairs (site_id, machine_id, start_at, description, failure_code_id)
     values ($1, $2, '2026-11-15T23:00:00+01:00', 'Sunday before', $3)`,
    [site.id, machine.id, code('FL-003')],
  );
  await owner.query(
    `insert into action_items (site_id, title, source, priority, assignee_id, due_at, status)
     values ($1, 'Replace worn ejector pins', 'manual', 'high', $2, '2026-11-18T12:00:00+01:00', 'open'),
            ($1, 'Already done', 'manual', 'low', $2, '2026-11-17T12:00:00+01:00', 'cancelled')`,
    [site.id, technician.id],
  );
  const tools = await owner.query<{ id: number }>(
    `insert into tools (site_id, asset_number, name, life_limit_shots, total_shots)
     values ($1, 'MLD-0042', 'Cap mould 8-cavity', 100000, 85000),
            ($1, 'MLD-0007', 'Young mould', 100000, 10000)
     returning id`,
    [site.id],
  );
  await owner.query(
    `insert into pm_plans (site_id, tool_id, name, every_shots, shots_at_last_done, last_done_at)
     values ($1, $2, 'Clean vents every 20k shots', 20000, 60000, '2026-10-01T00:00:00Z'),
            ($1, $3, 'Not yet due', 20000, 0, '2026-10-01T00:00:00Z')`,
    [site.id, tools.rows[0]?.id, tools.rows[1]?.id],
  );
});
afterAll(async () => {
  await owner.end();
  await h.close();
});

describe('weeks on the site clock', () => {
  it('is Monday to Sunday in the site zone, due from Monday 06:00', () => {
    const week = weekContaining('2026-11-22', 'Europe/Berlin');
    expect(week).toMatchObject({ week_start: '2026-11-16', week_end: '2026-11-22' });
    expect(week.from.toISOString()).toBe('2026-11-15T23:00:00.000Z');
    expect(week.to.toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(dueWeek(new Date('2026-11-23T04:59:00Z'), 'Europe/Berlin').week_start).toBe('2026-11-09');
    expect(dueWeek(new Date('2026-11-23T05:00:00Z'), 'Europe/Berlin').week_start).toBe('2026-11-16');
    expect(dueWeek(new Date('2026-11-23T05:00:00Z'), 'America/New_York').week_start).toBe('2026-11-09');
  });
});

describe('weekly maintenance report', () => {
  let reportId: number;

  it('generates now for a site and week; the PDF says what the week was', async () => {
    const created = await h.request({
      method: 'POST',
      url: '/reports/weekly',
      token: technician.token,
      payload: { site_id: site.id, week: '2026-11-19' },
    });
    expect(created.statusCode).toBe(201);
    const report = created.json();
    expect(report).toMatchObject({
      site_id: site.id,
      week_start: WEEK,
      status: 'ready',
      trigger: 'request',
      requested_by: technician.id,
      emailed_at: null,
    });
    reportId = report.id;

    const kpis = (
      await h.request({
        method: 'GET',
        url: `/kpis?site_id=${site.id}&from=2026-11-15T23:00:00Z&to=2026-11-22T23:00:00Z`,
        token: technician.token,
      })
    ).json();
    expect(kpis.mttr_hours).toBeCloseTo(1.5);

    const file = await h.request({
      method: 'GET',
      url: `/reports/weekly/${report.id}.pdf`,
      token: technician.token,
    });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain(`weekly-maintenance_${site.code}_${WEEK}.pdf`);
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(file.rawPayload);
    expect(text).toContain('Weekly maintenance report');
    expect(text).toContain('Werk Süd Moulding');
    expect(text).toContain('2026-11-16 to 2026-11-22');
    expect(text).toMatch(/MTTR \(mean time to repair\) 1\.50 h/);
    expect(text).toContain(`${kpis.mttr_hours.toFixed(2)} h`);
    expect(text).toContain('MECH_BREAKDOWN Mechanical breakdown');
    // Top failure code: FL-002 with 1 report, 2 repairs, 3 in all; FL-003 was the week before.
    expect(text).toMatch(/FL-002 \S.* 1 2 3/);
    expect(text.indexOf('FL-002')).toBeLessThan(text.indexOf('FL-001'));
    expect(text).not.toContain('FL-003');
    expect(text).toContain('Overdue action items (1)');
    expect(text).toContain('Replace worn ejector pins');
    expect(text).toContain('Tom Technician');
    expect(text).not.toContain('Already done');
    expect(text).toContain('MLD-0042');
    expect(text).toContain('85.0 %');
    expect(text).not.toContain('Young mould');
    expect(text).toContain('Clean vents every 20k shots');
    expect(text).not.toContain('Not yet due');
  });

  it('lists reports of the sites one can see, and refuses a viewer', async () => {
    const list = await h.request({ method: 'GET', url: '/reports/weekly', token: technician.token });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: number }) => r.id)).toEqual([reportId]);
    const one = await h.request({
      method: 'GET',
      url: `/reports/weekly/${reportId}`,
      token: technician.token,
    });
    expect(one.json()).toMatchObject({ id: reportId, site_code: site.code, week_start: WEEK });
    expect(
      (await h.request({ method: 'GET', url: '/reports/weekly/abc.pdf', token: technician.token }))
        .statusCode,
    ).toBe(422);
    expect(
      (await h.request({ method: 'GET', url: '/reports/weekly/999999.pdf', token: technician.token }))
        .statusCode,
    ).toBe(404);
    expect((await h.request({ method: 'GET', url: '/reports/weekly', token: viewer.token })).statusCode).toBe(
      403,
    );
    expect(
      (await h.request({ method: 'GET', url: `/reports/weekly/${reportId}.pdf`, token: viewer.token }))
        .statusCode,
    ).toBe(403);
    const otherSite = await h.request({
      method: 'POST',
      url: '/reports/weekly',
      token: technician.token,
      payload: { site_id: quiet.id },
    });
    expect(otherSite.statusCode).toBe(404);
    const future = await h.request({
      method: 'POST',
      url: '/reports/weekly',
      token: technician.token,
      payload: { site_id: site.id, week: '2099-01-05' },
    });
    expect(future.statusCode).toBe(400);
    const badWeek = await h.request({
      method: 'POST',
      url: '/reports/weekly',
      token: technician.token,
      payload: { site_id: site.id, week: '16.11.2026' },
    });
    expect(badWeek.statusCode).toBe(422);
  });

  it('GraphQL lists and generates weekly reports in camelCase, with the same permission', async () => {
    const query = `query { weeklyReports { items { id siteCode weekStart status pdfUrl } nextCursor } }`;
    const answer = await h.request({
      method: 'POST',
      url: '/graphql',
      token: technician.token,
      payload: { query },
    });
    expect(answer.json().data.weeklyReports.items).toEqual([
      {
        id: String(reportId),
        siteCode: site.code,
        weekStart: WEEK,
        status: 'ready',
        pdfUrl: `/reports/weekly/${reportId}.pdf`,
      },
    ]);
    const mutation = `mutation { generateWeeklyReport(siteId: ${site.id}, week: "2026-11-20") { id weekStart trigger } }`;
    const generated = await h.request({
      method: 'POST',
      url: '/graphql',
      token: technician.token,
      payload: { query: mutation },
    });
    expect(generated.json().data.generateWeeklyReport).toEqual({
      id: String(reportId),
      weekStart: WEEK,
      trigger: 'request',
    });
    const refused = await h.request({
      method: 'POST',
      url: '/graphql',
      token: viewer.token,
      payload: { query },
    });
    expect(refused.json().errors[0].extensions.code).toBe('FORBIDDEN');
  });

  it('the Monday job writes one report per site and week and e-mails the managers once, even when run twice', async () => {
    await owner.query('delete from weekly_reports');
    const service = createWeeklyReportService({
      db: h.db,
      kpi: h.server.modules.kpi,
      evaluatePm,
      clock: () => new Date('2026-11-23T05:30:00Z'),
    });
    const [first, second] = [await service.runJob(), await service.runJob()];
    expect(first.failed).toEqual([]);
    expect(first.generated).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ site_id: site.id, week_start: WEEK, emailed_to: 1 }),
        // New York is still before Monday 06:00: its due week is the one before.
        expect.objectContaining({ site_id: quiet.id, week_start: '2026-11-09', emailed_to: 0 }),
      ]),
    );
    expect(second.generated).toEqual([]);
    // Two workers at once still write one row per site and week.
    await Promise.all([service.runJob(), service.runJob()]);

    const rows = await owner.query(
      'select site_id, week_start::text, status, trigger, emailed_at, email_recipients from weekly_reports order by site_id',
    );
    expect(rows.rows).toHaveLength(2);
    expect(rows.rows[0]).toMatchObject({
      site_id: site.id,
      week_start: WEEK,
      status: 'ready',
      trigger: 'job',
    });
    expect(rows.rows[0].emailed_at).not.toBeNull();

    const mail = await owner.query<{
      to_addresses: string[];
      subject: string;
      attachments: { filename: string; content_type: string; content_base64: string }[];
    }>(
      "select to_addresses, subject, attachments from mail_outbox where subject like 'Weekly maintenance report%'",
    );
    expect(mail.rows).toHaveLength(1);
    const [sent] = mail.rows;
    expect(sent?.to_addresses).toEqual([MANAGER_EMAIL]);
    expect(sent?.subject).toContain(site.code);
    expect(sent?.attachments).toHaveLength(1);
    expect(sent?.attachments[0]).toMatchObject({
      filename: `weekly-maintenance_${site.code}_${WEEK}.pdf`,
      content_type: 'application/pdf',
    });
    const attached = Buffer.from(sent?.attachments[0]?.content_base64 ?? '', 'base64');
    expect(await pdfText(attached)).toContain('Replace worn ejector pins');
  });
});
