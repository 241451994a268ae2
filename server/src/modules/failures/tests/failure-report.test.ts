import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { cameraJpeg, png } from '../../files/tests/files.fixtures.ts';
import { createFailuresTestbed, formData, type FailuresTestbed } from './failures.testbed.ts';

let t: FailuresTestbed;
beforeAll(async () => {
  t = await createFailuresTestbed();
});
afterAll(() => t?.close());

const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('reporting a failure', () => {
  it('keeps the report with the code default severity and raises one action item for the assignee', async () => {
    const occurred = new Date(Date.now() - HOUR).toISOString();
    const response = await t.report(t.operator, {
      machine_id: t.machine.id,
      failure_code_id: t.codes['FL-001'],
      description: 'Screw bearing screams at high speed',
      occurred_at: occurred,
      containment_action: 'Machine stopped, parts since 06:00 quarantined',
      assignee_id: t.technician.id,
    });
    expect(response.statusCode, response.body).toBe(201);
    const report = response.json();
    expect(report).toMatchObject({
      site_id: t.site.id,
      machine_id: t.machine.id,
      machine_code: t.machine.code,
      tool_id: null,
      failure_code: 'FL-001',
      severity: 'high',
      occurred_at: occurred,
      reported_by: t.operator.id,
      status: 'open',
      action_status: 'open',
      action_assignee_id: t.technician.id,
      photos: [],
      photo_errors: [],
    });
    const { rows } = await t.owner.query(
      'select source, source_id::int, priority, assignee_id::int, due_at, created_by::int, machine_id::int from action_items where id = $1',
      [report.action_item_id],
    );
    expect(rows).toEqual([
      {
        source: 'failure_report',
        source_id: report.id,
        priority: 'high',
        assignee_id: t.technician.id,
        due_at: expect.any(Date),
        created_by: t.operator.id,
        machine_id: t.machine.id,
      },
    ]);
    // high: due in 3 days from now
    expect(Math.abs(rows[0].due_at.getTime() - (Date.now() + 3 * DAY))).toBeLessThan(60_000);
    expect(
      await t.count('notifications', `kind = 'action_assigned' and user_id = $1`, [t.technician.id]),
    ).toBe(1);
    expect(
      await t.count('audit_log', `entity = 'failure_report' and entity_id = $1`, [String(report.id)]),
    ).toBe(1);

    const fetched = await t.get(t.viewer, `/failure-reports/${report.id}`);
    expect(fetched.json()).toMatchObject({ id: report.id, action_item_id: report.action_item_id });
  });

  it('raises the action once: raising again for the same report finds the open one', async () => {
    const report = (
      await t.report(t.technician, {
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-003'],
        description: 'Mould temperature sensor reads 0',
      })
    ).json();
    const again = await t.h.db.transaction(SYSTEM_SCOPE, (tx) =>
      t.h.server.modules.raiseAction(tx, {
        site_id: t.site.id,
        title: 'again',
        source: 'failure_report',
        source_id: report.id,
      }),
    );
    expect(again).toEqual({ id: report.action_item_id, created: false });
    expect(await t.count('action_items', `source = 'failure_report' and source_id = $1`, [report.id])).toBe(
      1,
    );
  });

  it('names a tool, alone or with the machine it was mounted on; the due date given is kept', async () => {
    const due = new Date(Date.now() + 10 * DAY).toISOString();
    const response = await t.report(t.technician, {
      tool_id: t.tool.id,
      machine_id: t.machine.id,
      failure_code_id: t.codes['FL-003'],
      severity: 'low',
      description: 'Ejector pin marks on cavity 3',
      due_at: due,
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({
      tool_id: t.tool.id,
      tool_asset_number: t.tool.asset_number,
      machine_id: t.machine.id,
      severity: 'low',
      action_due_at: due,
    });
    const toolOnly = await t.report(t.technician, {
      tool_id: t.tool.id,
      failure_code_id: t.codes['FL-003'],
      description: 'Cracked slide',
    });
    expect(toolOnly.statusCode).toBe(201);
    const list = (await t.get(t.viewer, `/failure-reports?tool_id=${t.tool.id}`)).json();
    expect(list.items.map((r: { tool_id: number }) => r.tool_id)).toEqual([t.tool.id, t.tool.id]);
  });
});

describe('refusing a report (4xx, nothing stored)', () => {
  const future = () => new Date(Date.now() + HOUR).toISOString();
  it.each([
    [
      'neither tool nor machine',
      () => ({ failure_code_id: t.codes['FL-001'], description: 'x' }),
      422,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown failure code',
      () => ({ machine_id: t.machine.id, failure_code_id: 999_999, description: 'x' }),
      422,
      'UNKNOWN_FAILURE_CODE',
    ],
    [
      'a future occurrence',
      () => ({
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-001'],
        description: 'x',
        occurred_at: future(),
      }),
      422,
      'OCCURRED_IN_FUTURE',
    ],
    [
      'an unknown severity',
      () => ({
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-001'],
        description: 'x',
        severity: 'fatal',
      }),
      422,
      'VALIDATION_FAILED',
    ],
    [
      'an empty description',
      () => ({ machine_id: t.machine.id, failure_code_id: t.codes['FL-001'], description: '  ' }),
      422,
      'VALIDATION_FAILED',
    ],
    [
      "another site's machine",
      () => ({ machine_id: t.otherMachine.id, failure_code_id: t.codes['FL-001'], description: 'x' }),
      422,
      'UNKNOWN_MACHINE',
    ],
    [
      "another site's tool",
      () => ({ tool_id: t.otherTool.id, failure_code_id: t.codes['FL-001'], description: 'x' }),
      422,
      'UNKNOWN_TOOL',
    ],
    [
      'an assignee of another site',
      () => ({
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-001'],
        description: 'x',
        assignee_id: t.outsider.id,
      }),
      422,
      'INVALID_ASSIGNEE',
    ],
    [
      'a due date in the past',
      () => ({
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-001'],
        description: 'x',
        due_at: '2020-01-01T00:00:00Z',
      }),
      422,
      'INVALID_DUE_DATE',
    ],
    [
      'an unknown field',
      () => ({ machine_id: t.machine.id, failure_code_id: t.codes['FL-001'], description: 'x', site_id: 1 }),
      422,
      'VALIDATION_FAILED',
    ],
  ])('refuses %s', async (_what, body, status, code) => {
    const before = [
      await t.count('failure_reports'),
      await t.count('action_items'),
      await t.count('notifications'),
    ];
    const response = await t.report(t.technician, body());
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error_code).toBe(code);
    expect(response.json().message).not.toBe('');
    expect([
      await t.count('failure_reports'),
      await t.count('action_items'),
      await t.count('notifications'),
    ]).toEqual(before);
  });

  it('refuses an inactive failure code and lets a viewer report nothing (403)', async () => {
    await t.owner.query(`update failure_codes set is_active = false where code = 'FL-007'`);
    const inactive = await t.report(t.technician, {
      machine_id: t.machine.id,
      failure_code_id: t.codes['FL-007'],
      description: 'Heater',
    });
    expect(inactive.json().error_code).toBe('INACTIVE_FAILURE_CODE');
    const viewer = await t.report(t.viewer, {
      machine_id: t.machine.id,
      failure_code_id: t.codes['FL-001'],
      description: 'x',
    });
    expect(viewer.statusCode).toBe(403);
  });
});

describe('telling people', () => {
  const failureNotes = (userId: number) =>
    t.count('notifications', `kind = 'failure_report' and user_id = $1`, [userId]);
  async function notesOf(users: { id: number }[]): Promise<number[]> {
    const counts: number[] = [];
    for (const user of users) counts.push(await failureNotes(user.id));
    return counts;
  }

  it("notifies the site's managers and technicians at once for high and critical, not for medium or low", async () => {
    const before = await notesOf([t.manager, t.technician, t.operator, t.outsider]);
    for (const severity of ['low', 'medium']) {
      expect(
        (
          await t.report(t.operator, {
            machine_id: t.machine.id,
            failure_code_id: t.codes['FL-003'],
            severity,
            description: severity,
          })
        ).statusCode,
      ).toBe(201);
    }
    expect(await notesOf([t.manager, t.technician])).toEqual(before.slice(0, 2));
    const critical = (
      await t.report(t.operator, {
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-003'],
        severity: 'critical',
        description: 'Hydraulic hose burst',
      })
    ).json();
    expect(await notesOf([t.manager, t.technician, t.operator, t.outsider])).toEqual([
      before[0]! + 1,
      before[1]! + 1,
      before[2],
      before[3],
    ]);
    const { rows } = await t.owner.query(
      `select title, link from notifications where kind = 'failure_report' and user_id = $1 order by id desc limit 1`,
      [t.manager.id],
    );
    expect(rows[0]).toEqual({
      title: expect.stringMatching(/^Critical failure: FL-003/),
      link: `/app/failures/${critical.id}`,
    });
    // critical: due in one day
    expect(Math.abs(new Date(critical.action_due_at).getTime() - (Date.now() + DAY))).toBeLessThan(60_000);
  });
});

describe('site isolation', () => {
  it("hides a site's reports and photos from another site's technician", async () => {
    const report = (
      await t.report(t.technician, {
        machine_id: t.machine.id,
        failure_code_id: t.codes['FL-001'],
        description: 'Seized',
      })
    ).json();
    expect((await t.get(t.outsider, `/failure-reports/${report.id}`)).statusCode).toBe(404);
    expect((await t.get(t.outsider, `/failure-reports/${report.id}/photos`)).statusCode).toBe(404);
    const list = (await t.get(t.outsider, '/failure-reports')).json();
    expect(list.items).toEqual([]);
    const upload = formData([{ name: 'file', filename: 'p.png', data: await png() }]);
    const photo = await t.h.request({
      method: 'POST',
      url: `/failure-reports/${report.id}/photos`,
      token: t.outsider.token,
      payload: upload.payload,
      headers: upload.headers,
    });
    expect(photo.statusCode).toBe(404);
    expect(photo.json().error_code).toBe('FAILURE_REPORT_NOT_FOUND');
  });
});

describe('photos', () => {
  it('takes the report and its photos in one multipart request; a refused photo is listed, not stored', async () => {
    const before = await t.count('attachments');
    const body = formData([
      {
        name: 'report',
        value: JSON.stringify({
          machine_id: t.machine.id,
          failure_code_id: t.codes['FL-002'],
          description: 'Motor smokes',
        }),
      },
      { name: 'photos', filename: 'IMG_1.JPG', data: await cameraJpeg() },
      { name: 'photos', filename: 'notes.jpg', data: Buffer.from('just some text, not a photo') },
    ]);
    const response = await t.h.request({
      method: 'POST',
      url: '/failure-reports',
      token: t.technician.token,
      payload: body.payload,
      headers: body.headers,
    });
    expect(response.statusCode, response.body).toBe(201);
    const created = response.json();
    expect(created.photos).toHaveLength(1);
    expect(created.photos[0]).toMatchObject({
      owner_type: 'failure_report',
      owner_id: created.id,
      kind: 'image',
      width: 1707,
    });
    expect(created.photo_errors).toEqual([
      {
        filename: 'notes.jpg',
        error_code: 'UNSUPPORTED_FILE_TYPE',
        message: expect.stringMatching(/Accepted/),
      },
    ]);
    expect(await t.count('attachments')).toBe(before + 1);
    const listed = (await t.get(t.viewer, `/failure-reports/${created.id}/photos`)).json();
    expect(listed.map((a: { id: number }) => a.id)).toEqual([created.photos[0].id]);
    expect((await t.get(t.viewer, `/failure-reports/${created.id}`)).json().photo_count).toBe(1);
    const thumbnail = await t.get(t.viewer, created.photos[0].thumbnail_url);
    expect(thumbnail.statusCode).toBe(200);
  });

  it('refuses a multipart report without its JSON, or with a bad one, storing nothing', async () => {
    const before = [await t.count('failure_reports'), await t.count('attachments')];
    for (const parts of [
      [{ name: 'photos', filename: 'a.png', data: await png() }],
      [{ name: 'report', value: '{not json' }],
      [
        { name: 'report', value: JSON.stringify({ failure_code_id: t.codes['FL-001'], description: 'x' }) },
        { name: 'photos', filename: 'a.png', data: await png() },
      ],
      [
        {
          name: 'report',
          value: JSON.stringify({
            machine_id: t.machine.id,
            failure_code_id: t.codes['FL-001'],
            description: 'x',
          }),
        },
        { name: 'evil', filename: 'a.png', data: await png() },
      ],
    ]) {
      const body = formData(parts);
      const response = await t.h.request({
        method: 'POST',
        url: '/failure-reports',
        token: t.technician.token,
        payload: body.payload,
        headers: body.headers,
      });
      expect(response.statusCode, response.body).toBe(422);
    }
    expect([await t.count('failure_reports'), await t.count('attachments')]).toEqual(before);
  });
});

describe('listing', () => {
  it('pages newest occurrence first and filters by machine, code, severity, status and period', async () => {
    const machine = t.machine.id;
    const base = Date.parse('2026-01-10T08:00:00Z');
    const ids: number[] = [];
    for (const [i, severity] of (['low', 'high', 'medium', 'high'] as const).entries()) {
      const response = await t.report(t.technician, {
        machine_id: machine,
        failure_code_id: t.codes['FL-004'],
        severity,
        description: `Jan ${i}`,
        occurred_at: new Date(base + i * HOUR).toISOString(),
      });
      ids.push(response.json().id);
    }
    const period = `from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&machine_id=${machine}`;
    const first = (await t.get(t.viewer, `/failure-reports?${period}&limit=3`)).json();
    expect(first.items.map((r: { id: number }) => r.id)).toEqual([ids[3], ids[2], ids[1]]);
    const second = (
      await t.get(t.viewer, `/failure-reports?${period}&limit=3&cursor=${first.next_cursor}`)
    ).json();
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], next_cursor: null });
    const high = (await t.get(t.viewer, `/failure-reports?${period}&severity=high`)).json();
    expect(high.items.map((r: { id: number }) => r.id)).toEqual([ids[3], ids[1]]);
    const code = (
      await t.get(t.viewer, `/failure-reports?${period}&failure_code_id=${t.codes['FL-004']}&status=open`)
    ).json();
    expect(code.items).toHaveLength(4);

    await t.owner.query(
      `update action_items set status = 'completed', completed_at = now() where source = 'failure_report' and source_id = $1`,
      [ids[0]],
    );
    const closed = (await t.get(t.viewer, `/failure-reports?${period}&status=closed`)).json();
    expect(closed.items.map((r: { id: number; status: string }) => [r.id, r.status])).toEqual([
      [ids[0], 'closed'],
    ]);

    const bad = await t.get(t.viewer, '/failure-reports?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(bad.statusCode).toBe(422);
    expect((await t.get(t.viewer, '/failure-reports?cursor=abc')).statusCode).toBe(422);
  });
});

describe('GraphQL', () => {
  it('reports a failure in camelCase and reads it back with its photos', async () => {
    const mutation = await t.h.request({
      method: 'POST',
      url: '/graphql',
      token: t.technician.token,
      payload: {
        query: `mutation($input: FailureReportInput!) { reportFailure(input: $input) { id severity failureCode status actionItemId } }`,
        variables: {
          input: {
            machineId: String(t.machine.id),
            failureCodeId: String(t.codes['FL-001']),
            severity: 'CRITICAL',
            description: 'Nozzle leak',
          },
        },
      },
    });
    const created = mutation.json().data?.reportFailure;
    expect(created, mutation.body).toMatchObject({
      severity: 'CRITICAL',
      failureCode: 'FL-001',
      status: 'OPEN',
    });
    const query = await t.h.request({
      method: 'POST',
      url: '/graphql',
      token: t.viewer.token,
      payload: {
        query: `query($id: ID!) { failureReport(id: $id) { id machineCode photos { id } } failureReports(filter: {severity: CRITICAL}, first: 1) { items { id } nextCursor } }`,
        variables: { id: created.id },
      },
    });
    expect(query.json().data).toMatchObject({
      failureReport: { id: created.id, machineCode: t.machine.code, photos: [] },
      failureReports: { items: [{ id: created.id }] },
    });
    const future = await t.h.request({
      method: 'POST',
      url: '/graphql',
      token: t.technician.token,
      payload: {
        query: `mutation($input: FailureReportInput!) { reportFailure(input: $input) { id } }`,
        variables: {
          input: {
            machineId: String(t.machine.id),
            failureCodeId: String(t.codes['FL-001']),
            description: 'x',
            occurredAt: new Date(Date.now() + DAY).toISOString(),
          },
        },
      },
    });
    expect(
      future.json().errors?.[0]?.extensions?.code ?? future.json().errors?.[0]?.extensions?.error_code,
    ).toBe('OCCURRED_IN_FUTURE');
  });
});
