import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { DAY_MS } from '../pm.due.ts';
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
  notificationsOf,
  type Plant,
} from './pm.fixtures.ts';

let h: Harness;
let plant: Plant;

beforeAll(async () => {
  h = await createHarness();
  plant = await buildPlant(h);
});
afterAll(async () => {
  await h.close();
});

const runPmChecks = (now: Date) => h.server.modules.toolMaintenance.runPmChecks(now);

describe('PM plans: CRUD and state', () => {
  it('creates a plan counting from now and shows its state, share and the shot it comes due at', async () => {
    const tool = await buildTool(h, plant.siteId);
    await addShots(h, tool.id, 400);
    const plan = await createPlan(
      h,
      tool.id,
      { name: 'Clean vents', every_shots: 1000, every_days: 30 },
      plant.technician.token,
    );
    expect(plan).toMatchObject({ state: 'ok', shots_since: 0, shots_at_last_done: 400, due_at_shots: 1400 });
    await addShots(h, tool.id, 300);
    const after = await getPlan(h, plan.id);
    expect(after.shots_since).toBe(300);
    expect(after.share).toBeCloseTo(0.3);
    expect(after.next_due_at).not.toBeNull();
  });

  it('refuses a plan without an interval, a bad warning share, or a duplicate name, with field errors', async () => {
    const tool = await buildTool(h, plant.siteId);
    const post = (payload: Record<string, unknown>) =>
      h.request({ method: 'POST', url: `/tools/${tool.id}/pm-plans`, token: h.adminToken, payload });
    const none = await post({ name: 'Nothing' });
    expect(none.statusCode).toBe(422);
    expect(JSON.stringify(none.json())).toContain('every_shots');
    expect((await post({ name: 'Zero', every_shots: 0 })).statusCode).toBe(422);
    expect((await post({ name: 'Share', every_days: 5, warn_at_share: 0.3 })).statusCode).toBe(422);
    expect((await post({ name: 'Share', every_days: 5, warn_at_share: 1.2 })).statusCode).toBe(422);
    await createPlan(h, tool.id, { name: 'Weekly', every_days: 7 });
    expect((await post({ name: 'weekly', every_days: 14 })).statusCode).toBe(409);
    const patch = await h.request({
      method: 'PATCH',
      url: `/pm-plans/${(await createPlan(h, tool.id, { name: 'Days only', every_days: 7 })).id}`,
      token: h.adminToken,
      payload: { every_days: null },
    });
    expect(patch.statusCode).toBe(422);
  });

  it('lists the plans of a tool and of a site; deactivates, and deletes only an unused plan', async () => {
    const tool = await buildTool(h, plant.siteId);
    const a = await createPlan(h, tool.id, { name: 'A', every_shots: 5000 });
    const b = await createPlan(h, tool.id, { name: 'B', every_days: 90 });
    const list = await h.request({
      method: 'GET',
      url: `/tools/${tool.id}/pm-plans`,
      token: plant.operator.token,
    });
    await expectStatus(list, 200);
    expect(list.json().map((p: { name: string }) => p.name)).toEqual(['A', 'B']);
    const site = await h.request({
      method: 'GET',
      url: `/pm-plans?site_id=${plant.siteId}&limit=1`,
      token: plant.operator.token,
    });
    await expectStatus(site, 200);
    expect(site.json().items).toHaveLength(1);
    expect(site.json().next_cursor).toEqual(expect.any(String));
    const off = await h.request({
      method: 'PATCH',
      url: `/pm-plans/${a.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.json().is_active).toBe(false);
    const active = await h.request({ method: 'GET', url: `/tools/${tool.id}/pm-plans`, token: h.adminToken });
    expect(active.json().map((p: { name: string }) => p.name)).toEqual(['B']);
    const removed = await h.request({ method: 'DELETE', url: `/pm-plans/${b.id}`, token: h.adminToken });
    expect(removed.statusCode).toBe(204);
    expect(
      (await h.request({ method: 'GET', url: `/pm-plans/${b.id}`, token: h.adminToken })).statusCode,
    ).toBe(404);
  });
});

describe('PM plans: warning, due and overdue', () => {
  it('warns once at the warning share, then raises one action for the responsible person when due', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, {
      name: 'Polish cavities',
      every_shots: 1000,
      warn_at_share: 0.9,
      responsible_user_id: plant.technician.id,
    });
    await addShots(h, tool.id, 899, plant.operator.token);
    expect(await notificationsOf(h, plant.technician, 'pm_warning')).toHaveLength(0);
    await addShots(h, tool.id, 1, plant.operator.token);
    await addShots(h, tool.id, 50, plant.operator.token);
    expect(await notificationsOf(h, plant.technician, 'pm_warning')).toHaveLength(1);
    expect((await getPlan(h, plan.id)).state).toBe('warning');
    expect(await actionsOf(h, 'pm_plan', plan.id)).toHaveLength(0);

    await addShots(h, tool.id, 60, plant.operator.token);
    await addShots(h, tool.id, 10, plant.operator.token);
    const actions = await actionsOf(h, 'pm_plan', plan.id);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      assignee_id: plant.technician.id,
      tool_id: tool.id,
      status: 'open',
      priority: 'medium',
    });
    expect(actions[0]!.due_at!.getTime()).toBeGreaterThan(Date.now());
    const assigned = await notificationsOf(h, plant.technician, 'action_assigned');
    expect(assigned.filter((n) => n.title.includes('Polish cavities'))).toHaveLength(1);
    expect(await notificationsOf(h, plant.technician, 'pm_warning')).toHaveLength(1);
    const after = await getPlan(h, plan.id);
    expect(after).toMatchObject({ state: 'due', action_item_id: actions[0]!.id });
  });

  it('a plan without a responsible person tells the site managers when it comes due', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, { name: 'Unowned', every_shots: 100 });
    await addShots(h, tool.id, 100);
    const due = await notificationsOf(h, plant.manager, 'pm_due');
    expect(due.filter((n) => n.title.includes('Unowned'))).toHaveLength(1);
    expect(await actionsOf(h, 'pm_plan', plan.id)).toHaveLength(1);
  });

  it('day plans come due by the clock in the periodic check, once, however often it runs', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, {
      name: 'Monthly inspection',
      every_days: 30,
      last_done_at: daysAgo(20),
      responsible_user_id: plant.technician.id,
    });
    expect(plan.state).toBe('ok');
    const now = Date.now();
    await runPmChecks(new Date(now + 7 * DAY_MS));
    expect(
      (await h.request({ method: 'GET', url: `/pm-plans/${plan.id}`, token: h.adminToken })).json(),
    ).toMatchObject({ warned_at: expect.any(String) });
    expect(await actionsOf(h, 'pm_plan', plan.id)).toHaveLength(0);
    await runPmChecks(new Date(now + 10.5 * DAY_MS));
    await runPmChecks(new Date(now + 10.6 * DAY_MS));
    await Promise.all([
      runPmChecks(new Date(now + 10.7 * DAY_MS)),
      runPmChecks(new Date(now + 10.7 * DAY_MS)),
    ]);
    expect(await actionsOf(h, 'pm_plan', plan.id)).toHaveLength(1);
  });

  it('an overdue plan escalates to the managers once a day and raises the action priority', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, {
      name: 'Overdue check',
      every_days: 10,
      last_done_at: daysAgo(12),
      responsible_user_id: plant.technician.id,
    });
    expect(plan.state).toBe('overdue');
    const titled = async () =>
      (await notificationsOf(h, plant.manager, 'pm_overdue')).filter((n) =>
        n.title.includes('Overdue check'),
      );
    expect(await titled()).toHaveLength(1);
    const [action] = await actionsOf(h, 'pm_plan', plan.id);
    expect(action).toMatchObject({ priority: 'high', status: 'open' });

    const now = Date.now();
    await runPmChecks(new Date(now + 60_000));
    await runPmChecks(new Date(now + 23 * 3_600_000));
    expect(await titled()).toHaveLength(1);
    await runPmChecks(new Date(now + 25 * 3_600_000));
    await runPmChecks(new Date(now + 26 * 3_600_000));
    expect(await titled()).toHaveLength(2);
    const [escalated] = await actionsOf(h, 'pm_plan', plan.id);
    expect(escalated).toMatchObject({ id: action!.id, priority: 'critical' });
    const events = await actionEvents(h, action!.id);
    expect(events.filter((e) => e.kind === 'escalated')).toHaveLength(1);
    expect(await actionsOf(h, 'pm_plan', plan.id)).toHaveLength(1);
  });

  it('a shots-only plan past due is overdue at 110 % and escalates even when the tool stands still', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, { name: 'Shots only', every_shots: 1000 });
    await addShots(h, tool.id, 1050);
    expect((await getPlan(h, plan.id)).state).toBe('due');
    await addShots(h, tool.id, 60);
    expect((await getPlan(h, plan.id)).state).toBe('overdue');
    const count = async () =>
      (await notificationsOf(h, plant.manager, 'pm_overdue')).filter((n) => n.title.includes('Shots only'))
        .length;
    expect(await count()).toBe(1);
    await runPmChecks(new Date(Date.now() + 2 * DAY_MS));
    expect(await count()).toBe(2);
  });
});

describe('PM plans: permissions and sites', () => {
  it('operators and viewers read but do not manage plans; other sites see nothing', async () => {
    const tool = await buildTool(h, plant.siteId);
    const plan = await createPlan(h, tool.id, { name: 'Guarded', every_days: 60 });
    const denied = await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/pm-plans`,
      token: plant.operator.token,
      payload: { name: 'Nope', every_days: 5 },
    });
    expect(denied.statusCode).toBe(403);
    expect(
      (
        await h.request({
          method: 'PATCH',
          url: `/pm-plans/${plan.id}`,
          token: plant.operator.token,
          payload: { name: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await h.request({ method: 'GET', url: `/pm-plans/${plan.id}`, token: plant.operator.token }))
        .statusCode,
    ).toBe(200);
    // The technician of another site: no such plan or tool for them.
    expect(
      (await h.request({ method: 'GET', url: `/pm-plans/${plan.id}`, token: plant.outsider.token }))
        .statusCode,
    ).toBe(404);
    expect(
      (await h.request({ method: 'GET', url: `/tools/${tool.id}/pm-plans`, token: plant.outsider.token }))
        .statusCode,
    ).toBe(404);
    const foreign = await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/pm-plans`,
      token: plant.outsider.token,
      payload: { name: 'Foreign', every_days: 5 },
    });
    expect(foreign.statusCode).toBe(404);
    const listed = await h.request({ method: 'GET', url: '/pm-plans', token: plant.outsider.token });
    expect(listed.json().items).toEqual([]);
    const responsible = await h.request({
      method: 'PATCH',
      url: `/pm-plans/${plan.id}`,
      token: h.adminToken,
      payload: { responsible_user_id: plant.outsider.id },
    });
    expect(responsible.statusCode).toBe(422);
  });

  it('GraphQL reads a tool’s plans in camelCase and creates one', async () => {
    const tool = await buildTool(h, plant.siteId);
    const response = await h.request({
      method: 'POST',
      url: '/graphql',
      token: h.adminToken,
      payload: {
        query: `mutation($toolId: ID!) { createPmPlan(toolId: $toolId, input: { name: "GQL", everyShots: 500, warnAtShare: 0.8 }) { id state warnAtShare dueAtShots } }`,
        variables: { toolId: String(tool.id) },
      },
    });
    expect(response.json().errors).toBeUndefined();
    expect(response.json().data.createPmPlan).toMatchObject({
      state: 'OK',
      warnAtShare: 0.8,
      dueAtShots: 500,
    });
    const read = await h.request({
      method: 'POST',
      url: '/graphql',
      token: plant.operator.token,
      payload: { query: `{ toolPmPlans(toolId: "${tool.id}") { name everyShots shotsSince state } }` },
    });
    expect(read.json().data.toolPmPlans).toEqual([
      { name: 'GQL', everyShots: 500, shotsSince: 0, state: 'OK' },
    ]);
  });
});
