import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { multipart, png } from '../../files/tests/files.fixtures.ts';
import {
  actionEvents,
  actionsOf,
  addShots,
  buildPlant,
  buildTool,
  createPlan,
  daysAgo,
  expectStatus,
  getPlan,
  type Plant,
} from './pm.fixtures.ts';

let h: Harness;
let plant: Plant;
let template: { id: number; items: { id: number; position: number; text: string; required: boolean }[] };

beforeAll(async () => {
  h = await createHarness();
  plant = await buildPlant(h);
  const response = await h.request({
    method: 'POST',
    url: '/checklist-templates',
    token: h.adminToken,
    payload: {
      name: 'Mould PM checklist',
      items: [
        { text: 'Clean vents' },
        { text: 'Check cooling lines' },
        { text: 'Lubricate slides', required: false },
      ],
    },
  });
  await expectStatus(response, 201);
  template = response.json();
});
afterAll(async () => {
  await h.close();
});

const allOk = () => template.items.map((item) => ({ item_id: item.id, result: 'ok' }));
const postLog = (payload: Record<string, unknown>, token = plant.technician.token) =>
  h.request({ method: 'POST', url: '/maintenance-logs', token, payload });
const logCount = () =>
  h.db.transaction(SYSTEM_SCOPE, async (tx) =>
    Number(
      (
        await tx
          .selectFrom('maintenance_logs')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    ),
  );

describe('maintenance logs', () => {
  it('writes a log of a tool with its checklist answered, read back with the steps in order', async () => {
    const tool = await buildTool(h, plant.siteId);
    await addShots(h, tool.id, 1234, h.adminToken, daysAgo(1));
    // Shots after the work ended do not count towards the log's shot total.
    await addShots(h, tool.id, 66);
    const checks = allOk();
    checks[1] = {
      item_id: template.items[1]!.id,
      result: 'not_ok',
      note: 'Leak at the rear manifold',
    } as never;
    checks[2] = { item_id: template.items[2]!.id, result: 'na' };
    const response = await postLog({
      tool_id: tool.id,
      kind: 'inspection',
      started_at: new Date(Date.now() - 3_600_000).toISOString(),
      duration_minutes: 45,
      findings: 'Manifold leaks slightly',
      checklist_template_id: template.id,
      checks,
    });
    await expectStatus(response, 201);
    const log = response.json();
    expect(log).toMatchObject({
      tool_id: tool.id,
      kind: 'inspection',
      performed_by: plant.technician.id,
      duration_minutes: 45,
      shots_at: 1234,
      not_ok_count: 1,
      action_item_id: null,
    });
    expect(log.checks.map((c: { item: string; result: string }) => [c.item, c.result])).toEqual([
      ['Clean vents', 'ok'],
      ['Check cooling lines', 'not_ok'],
      ['Lubricate slides', 'na'],
    ]);
    const list = await h.request({
      method: 'GET',
      url: `/maintenance-logs?tool_id=${tool.id}`,
      token: plant.operator.token,
    });
    expect(list.json().items.map((l: { id: number }) => l.id)).toEqual([log.id]);
  });

  it('refuses an incomplete checklist, a not-ok step without a note, n/a on a required step: 422, nothing stored', async () => {
    const tool = await buildTool(h, plant.siteId);
    const before = await logCount();
    const base = {
      tool_id: tool.id,
      kind: 'inspection',
      started_at: new Date().toISOString(),
      duration_minutes: 10,
      checklist_template_id: template.id,
    };
    const missing = await postLog({ ...base, checks: allOk().slice(0, 2) });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().message).toContain('Lubricate slides');
    const noNote = allOk();
    noNote[0] = { item_id: template.items[0]!.id, result: 'not_ok' };
    const refusedNote = await postLog({ ...base, checks: noNote });
    expect(refusedNote.statusCode).toBe(422);
    expect(JSON.stringify(refusedNote.json())).toContain('checks.0.note');
    const naRequired = allOk();
    naRequired[0] = { item_id: template.items[0]!.id, result: 'na' };
    expect((await postLog({ ...base, checks: naRequired })).statusCode).toBe(422);
    expect(
      (await postLog({ ...base, checks: [...allOk(), { item_id: 999_999, result: 'ok' }] })).statusCode,
    ).toBe(422);
    expect((await postLog({ ...base, checks: [...allOk(), allOk()[0]] })).statusCode).toBe(422);
    expect((await postLog({ ...base, duration_minutes: 0, checks: allOk() })).statusCode).toBe(422);
    expect(
      (
        await postLog({
          ...base,
          started_at: new Date(Date.now() + 86_400_000).toISOString(),
          checks: allOk(),
        })
      ).statusCode,
    ).toBe(422);
    expect((await postLog({ ...base, machine_id: plant.machineId, checks: allOk() })).statusCode).toBe(422);
    expect((await postLog({ ...base, follow_up_required: true, checks: allOk() })).statusCode).toBe(422);
    expect(await logCount()).toBe(before);
  });

  it('follow-up required raises an action item from the log', async () => {
    const response = await postLog({
      machine_id: plant.machineId,
      kind: 'repair',
      started_at: new Date().toISOString(),
      duration_minutes: 90,
      follow_up_required: true,
      follow_up: 'Order a new heater band',
    });
    await expectStatus(response, 201);
    const log = response.json();
    const actions = await actionsOf(h, 'maintenance_log', log.id);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ machine_id: plant.machineId, status: 'open', site_id: plant.siteId });
    expect(actions[0]!.title).toContain('Order a new heater band');
    expect(log.action_item_id).toBe(actions[0]!.id);
  });

  it('a PM log restarts its plan from the shots at the end of the work and completes the plan’s action', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, {
      name: 'Full PM',
      every_shots: 1000,
      last_done_at: daysAgo(2),
      checklist_template_id: template.id,
      responsible_user_id: plant.technician.id,
    });
    await addShots(h, tool.id, 1200, h.adminToken, daysAgo(1));
    const due = await getPlan(h, plan.id);
    expect(due.state).toBe('overdue');
    const [action] = await actionsOf(h, 'pm_plan', plan.id);
    expect(action!.status).toBe('open');

    const response = await postLog({
      tool_id: tool.id,
      pm_plan_id: plan.id,
      started_at: new Date(Date.now() - 30 * 60_000).toISOString(),
      duration_minutes: 20,
      checks: allOk(),
    });
    await expectStatus(response, 201);
    const log = response.json();
    expect(log).toMatchObject({
      kind: 'pm',
      pm_plan_id: plan.id,
      checklist_template_id: template.id,
      shots_at: 1200,
    });

    const restarted = await getPlan(h, plan.id);
    expect(restarted).toMatchObject({
      state: 'ok',
      shots_since: 0,
      shots_at_last_done: 1200,
      last_log_id: log.id,
      action_item_id: null,
      warned_at: null,
      due_raised_at: null,
    });
    const [closed] = await actionsOf(h, 'pm_plan', plan.id);
    expect(closed).toMatchObject({ id: action!.id, status: 'completed', completed_by: plant.technician.id });
    const events = await actionEvents(h, action!.id);
    expect(events.at(-1)).toMatchObject({ kind: 'status', to_value: 'completed' });

    // The next cycle raises a new action of its own.
    await addShots(h, tool.id, 1000);
    const actions = await actionsOf(h, 'pm_plan', plan.id);
    expect(actions.map((a) => a.status)).toEqual(['completed', 'open']);
  });

  it('an older PM log does not rewind a plan done since', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, { name: 'Rewind', every_days: 30, last_done_at: daysAgo(2) });
    await expectStatus(
      await postLog({ tool_id: tool.id, pm_plan_id: plan.id, started_at: daysAgo(5), duration_minutes: 30 }),
      201,
    );
    expect((await getPlan(h, plan.id)).last_done_at).toBe(plan.last_done_at);
  });

  it('permissions: operators cannot write logs; another site cannot see or log on this site’s tools', async () => {
    const tool = await buildTool(h, plant.siteId);
    const body = {
      tool_id: tool.id,
      kind: 'cleaning',
      started_at: new Date().toISOString(),
      duration_minutes: 5,
    };
    expect((await postLog(body, plant.operator.token)).statusCode).toBe(403);
    const foreign = await postLog(body, plant.outsider.token);
    expect(foreign.statusCode).toBe(422);
    const log = (await postLog(body)).json();
    expect(
      (await h.request({ method: 'GET', url: `/maintenance-logs/${log.id}`, token: plant.outsider.token }))
        .statusCode,
    ).toBe(404);
    const list = await h.request({ method: 'GET', url: '/maintenance-logs', token: plant.outsider.token });
    expect(list.json().items).toEqual([]);
    expect((await postLog({ ...body, performed_by: plant.outsider.id })).statusCode).toBe(422);
  });

  it('lists with filters and cursor pagination, newest first', async () => {
    const tool = await buildTool(h, plant.siteId);
    for (const days of [3, 2, 1])
      await expectStatus(
        await postLog({ tool_id: tool.id, kind: 'cleaning', started_at: daysAgo(days), duration_minutes: 5 }),
        201,
      );
    const first = await h.request({
      method: 'GET',
      url: `/maintenance-logs?tool_id=${tool.id}&limit=2`,
      token: h.adminToken,
    });
    const page = first.json();
    expect(page.items).toHaveLength(2);
    const second = await h.request({
      method: 'GET',
      url: `/maintenance-logs?tool_id=${tool.id}&limit=2&cursor=${page.next_cursor}`,
      token: h.adminToken,
    });
    expect(second.json().items).toHaveLength(1);
    expect(second.json().next_cursor).toBeNull();
    const times = [...page.items, ...second.json().items].map((l: { started_at: string }) => l.started_at);
    expect([...times].sort().reverse()).toEqual(times);
    const repairs = await h.request({
      method: 'GET',
      url: `/maintenance-logs?tool_id=${tool.id}&kind=repair`,
      token: h.adminToken,
    });
    expect(repairs.json().items).toEqual([]);
  });

  it('takes photos on a log through the files service; other sites and operators cannot add them', async () => {
    const tool = await buildTool(h, plant.siteId);
    const log = (
      await postLog({
        tool_id: tool.id,
        kind: 'repair',
        started_at: new Date().toISOString(),
        duration_minutes: 20,
      })
    ).json();
    const upload = multipart('worn-pin.png', await png());
    const added = await h.request({
      method: 'POST',
      url: `/maintenance-logs/${log.id}/photos`,
      token: plant.technician.token,
      ...upload,
    });
    await expectStatus(added, 201);
    expect(added.json()).toMatchObject({ owner_type: 'maintenance_log', owner_id: log.id, kind: 'image' });
    const listed = await h.request({
      method: 'GET',
      url: `/maintenance-logs/${log.id}/photos`,
      token: plant.operator.token,
    });
    expect(listed.json()).toHaveLength(1);
    const again = multipart('x.png', await png());
    expect(
      (
        await h.request({
          method: 'POST',
          url: `/maintenance-logs/${log.id}/photos`,
          token: plant.operator.token,
          ...again,
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await h.request({
          method: 'POST',
          url: `/maintenance-logs/${log.id}/photos`,
          token: plant.outsider.token,
          ...again,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('GraphQL writes a log with its checklist and reads it back', async () => {
    const tool = await buildTool(h, plant.siteId);
    const checks = template.items.map((item) => `{ itemId: "${item.id}", result: OK }`).join(', ');
    const response = await h.request({
      method: 'POST',
      url: '/graphql',
      token: plant.technician.token,
      payload: {
        query: `mutation { createMaintenanceLog(input: { toolId: "${tool.id}", kind: INSPECTION, startedAt: "${new Date().toISOString()}", durationMinutes: 15, checklistTemplateId: "${template.id}", checks: [${checks}] }) { id kind durationMinutes checks { item result } } }`,
      },
    });
    expect(response.json().errors).toBeUndefined();
    expect(response.json().data.createMaintenanceLog).toMatchObject({
      kind: 'INSPECTION',
      durationMinutes: 15,
    });
    expect(response.json().data.createMaintenanceLog.checks).toHaveLength(3);
  });
});
