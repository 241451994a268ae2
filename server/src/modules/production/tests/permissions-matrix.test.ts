import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import {
  assign,
  buildWorkOrder,
  errorCode,
  getStage,
  getWorkOrder,
  minutesAgo,
  raise,
  runStage,
  stagesOf,
  uniqueLot,
  workOrderWithStages,
  type Issue,
  type Stage,
  type WorkOrder,
} from './production.fixtures.ts';

/**
 * Every role of the production API × every operation: 2xx where the permission matrix allows it
 * (and the change happened), 403 FORBIDDEN where it does not (and nothing changed).
 */
const WHO = ['admin', 'manager', 'planner', 'technician', 'worker', 'viewer', 'machine key'] as const;
type Who = (typeof WHO)[number];

let h: Harness;
let site: SiteRecord;
let machine: MachineRecord;
const users = {} as Record<Exclude<Who, 'admin' | 'machine key'>, UserRecord>;
let machineKey: string;

function headersOf(who: Who): Record<string, string> {
  if (who === 'admin') return { authorization: `Bearer ${h.adminToken}` };
  if (who === 'machine key') return { 'x-api-key': machineKey };
  return { authorization: `Bearer ${users[who].token}` };
}

function as(
  who: Who,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  payload?: unknown,
): Promise<LightMyRequestResponse> {
  return h.request({
    method,
    url,
    headers: headersOf(who),
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

/** A fresh stage assigned to the worker, so a worker's call is refused only for want of permission. */
async function workerStage(): Promise<Stage> {
  const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
  await assign(h, stages[0]!.id, users.worker.id);
  return stages[0]!;
}

async function workOrderCount(): Promise<number> {
  const response = await h.request({ method: 'GET', url: '/workorders/?limit=500', token: h.adminToken });
  return (response.json() as WorkOrder[]).length;
}

interface Operation {
  name: string;
  allowed: readonly Who[];
  status: number;
  /** Makes the call; `check` then looks at what it did (allowed: the change is there; refused: it is not). */
  run(who: Who): Promise<{ response: LightMyRequestResponse; check?: (allowed: boolean) => Promise<void> }>;
}

const READERS: readonly Who[] = ['admin', 'manager', 'planner', 'technician', 'worker', 'viewer'];
const PLANNERS: readonly Who[] = ['admin', 'planner'];
const WORKERS: readonly Who[] = ['admin', 'planner', 'worker'];
const ISSUE_MANAGERS: readonly Who[] = ['admin', 'manager', 'planner'];

const OPERATIONS: Operation[] = [
  {
    name: 'GET /workorders/',
    allowed: READERS,
    status: 200,
    run: async (who) => ({ response: await as(who, 'GET', '/workorders/') }),
  },
  {
    name: 'GET /workorders/:id',
    allowed: READERS,
    status: 200,
    run: async (who) => {
      const order = await buildWorkOrder(h, { site_id: site.id });
      return { response: await as(who, 'GET', `/workorders/${order.id}`) };
    },
  },
  {
    name: 'POST /workorders/',
    allowed: PLANNERS,
    status: 201,
    run: async (who) => {
      const before = await workOrderCount();
      const response = await as(who, 'POST', '/workorders/', {
        site_id: site.id,
        product_code: 'PERM-1',
        lot_no: uniqueLot(),
        qty: 1,
        planned_start: minutesAgo(60),
        planned_end: minutesAgo(0),
      });
      return { response, check: async (ok) => expect(await workOrderCount()).toBe(before + (ok ? 1 : 0)) };
    },
  },
  {
    name: 'PATCH /workorders/:id',
    allowed: PLANNERS,
    status: 200,
    run: async (who) => {
      const order = await buildWorkOrder(h, { site_id: site.id, qty: 10 });
      const response = await as(who, 'PATCH', `/workorders/${order.id}`, { qty: 77 });
      return {
        response,
        check: async (ok) => expect((await getWorkOrder(h, order.id)).qty).toBe(ok ? 77 : 10),
      };
    },
  },
  {
    name: 'DELETE /workorders/:id',
    allowed: PLANNERS,
    status: 204,
    run: async (who) => {
      const order = await buildWorkOrder(h, { site_id: site.id });
      const response = await as(who, 'DELETE', `/workorders/${order.id}`);
      return {
        response,
        check: async (ok) => {
          const found = await h.request({
            method: 'GET',
            url: `/workorders/${order.id}`,
            token: h.adminToken,
          });
          expect(found.statusCode).toBe(ok ? 404 : 200);
        },
      };
    },
  },
  {
    name: 'POST /stages/:id/start',
    allowed: WORKERS,
    status: 200,
    run: async (who) => {
      const stage = await workerStage();
      const response = await as(who, 'POST', `/stages/${stage.id}/start`);
      return {
        response,
        check: async (ok) =>
          expect((await getStage(h, stage.id)).status).toBe(ok ? 'in_progress' : 'planned'),
      };
    },
  },
  {
    name: 'POST /stages/:id/done',
    allowed: WORKERS,
    status: 200,
    run: async (who) => {
      const stage = await workerStage();
      await runStage(h, stage.id, minutesAgo(10), null);
      const response = await as(who, 'POST', `/stages/${stage.id}/done`, {});
      return {
        response,
        check: async (ok) => expect((await getStage(h, stage.id)).status).toBe(ok ? 'done' : 'in_progress'),
      };
    },
  },
  {
    name: 'POST /stages/:id/issue',
    allowed: WORKERS,
    status: 201,
    run: async (who) => {
      const stage = await workerStage();
      const response = await as(who, 'POST', `/stages/${stage.id}/issue`, {
        type: 'other',
        description: 'permission check',
      });
      return {
        response,
        check: async (ok) => expect((await getStage(h, stage.id)).open_issues).toBe(ok ? 1 : 0),
      };
    },
  },
  {
    name: 'POST /stages/:id/assignments',
    allowed: PLANNERS,
    status: 201,
    run: async (who) => {
      const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
      const response = await as(who, 'POST', `/stages/${stages[0]!.id}/assignments`, {
        user_id: users.worker.id,
      });
      return {
        response,
        check: async (ok) =>
          expect((await getStage(h, stages[0]!.id)).assignees.map((a) => a.user_id)).toEqual(
            ok ? [users.worker.id] : [],
          ),
      };
    },
  },
  {
    name: 'PATCH /stages/:id/issues/:issue_id',
    allowed: ISSUE_MANAGERS,
    status: 200,
    run: async (who) => {
      const stage = await workerStage();
      const issue = (
        await raise(h, h.adminToken, stage.id, { type: 'other', description: 'x' })
      ).json() as Issue;
      const response = await as(who, 'PATCH', `/stages/${stage.id}/issues/${issue.id}`, {
        status: 'acknowledged',
      });
      return {
        response,
        check: async (ok) => {
          const issues = await h.request({
            method: 'GET',
            url: `/stages/${stage.id}/issues`,
            token: h.adminToken,
          });
          expect(issues.json()[0].status).toBe(ok ? 'acknowledged' : 'open');
        },
      };
    },
  },
  {
    name: 'GET /issues',
    allowed: ISSUE_MANAGERS,
    status: 200,
    run: async (who) => ({ response: await as(who, 'GET', '/issues') }),
  },
  {
    name: 'PUT /production/routes',
    allowed: PLANNERS,
    status: 200,
    run: async (who) => {
      const product = `R-${uniqueLot('P')}`;
      const response = await as(who, 'PUT', '/production/routes', {
        site_id: site.id,
        product_code: product,
        name: 'Route',
        steps: [{ stage_name: 'one' }],
      });
      return {
        response,
        check: async (ok) => {
          const routes = await h.request({
            method: 'GET',
            url: `/production/routes?site_id=${site.id}`,
            token: h.adminToken,
          });
          const codes = routes.json().map((r: { product_code: string | null }) => r.product_code);
          expect(codes.includes(product)).toBe(ok);
        },
      };
    },
  },
  {
    name: 'GET /production/metrics',
    allowed: READERS,
    status: 200,
    run: async (who) => ({ response: await as(who, 'GET', `/production/metrics?site_id=${site.id}`) }),
  },
  {
    name: 'POST /issue-types',
    allowed: ['admin'],
    status: 201,
    run: async (who) => {
      const code = `t_${uniqueLot('x').replace(/-/g, '_').toLowerCase()}`;
      const response = await as(who, 'POST', '/issue-types', { code, name: 'Type' });
      return {
        response,
        check: async (ok) => {
          const types = await h.request({ method: 'GET', url: '/issue-types', token: h.adminToken });
          expect(types.json().some((t: { code: string }) => t.code === code)).toBe(ok);
        },
      };
    },
  },
  {
    name: 'POST /machines/:id/readings',
    allowed: ['admin', 'machine key'],
    status: 201,
    run: async (who) => {
      const before = (
        await h.request({ method: 'GET', url: `/machines/${machine.id}/readings`, token: h.adminToken })
      ).json().length;
      const response = await as(who, 'POST', `/machines/${machine.id}/readings`, {
        reading_type: 'temperature',
        value: 20,
      });
      return {
        response,
        check: async (ok) => {
          const after = await h.request({
            method: 'GET',
            url: `/machines/${machine.id}/readings`,
            token: h.adminToken,
          });
          expect(after.json().length).toBe(before + (ok ? 1 : 0));
        },
      };
    },
  },
];

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  machineKey = (await buildApiKey(h, site.id)).key;
  for (const role of ['manager', 'planner', 'technician', 'worker', 'viewer'] as const) {
    users[role] = await buildUser(h, { role, site_ids: [site.id] });
  }
});
afterAll(() => h.close());

describe.each(OPERATIONS)('$name', (operation) => {
  it.each(WHO)('%s', async (who) => {
    const allowed = operation.allowed.includes(who);
    const { response, check } = await operation.run(who);
    if (allowed) {
      expect(response.statusCode, response.body).toBe(operation.status);
    } else {
      expect(response.statusCode, response.body).toBe(403);
      expect(errorCode(response)).toBe('FORBIDDEN');
    }
    await check?.(allowed);
  });
});

describe('stage assignment rules', () => {
  it('a worker acting on a stage not assigned to them → 403 STAGE_NOT_ASSIGNED, nothing changes', async () => {
    const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
    const stage = stages[0]!;
    const started = await as('worker', 'POST', `/stages/${stage.id}/start`);
    expect(started.statusCode).toBe(403);
    expect(errorCode(started)).toBe('STAGE_NOT_ASSIGNED');
    expect((await getStage(h, stage.id)).status).toBe('planned');

    await runStage(h, stage.id, minutesAgo(5), null);
    const finished = await as('worker', 'POST', `/stages/${stage.id}/done`);
    expect(finished.statusCode).toBe(403);
    expect(errorCode(finished)).toBe('STAGE_NOT_ASSIGNED');
    expect((await getStage(h, stage.id)).status).toBe('in_progress');

    const issue = await as('worker', 'POST', `/stages/${stage.id}/issue`, {
      type: 'other',
      description: 'x',
    });
    expect(issue.statusCode).toBe(403);
    expect(errorCode(issue)).toBe('STAGE_NOT_ASSIGNED');
    expect((await getStage(h, stage.id)).open_issues).toBe(0);
  });

  it('a worker listing an order’s stages sees only the ones assigned to them; others are 404', async () => {
    const { order, stages } = await workOrderWithStages(h, site.id, ['cut', 'weld', 'pack']);
    await assign(h, stages[1]!.id, users.worker.id);
    const mine = await stagesOf(h, order.id, users.worker.token);
    expect(mine.map((s) => s.stage_name)).toEqual(['weld']);
    const all = await stagesOf(h, order.id, users.planner.token);
    expect(all.map((s) => s.stage_name)).toEqual(['cut', 'weld', 'pack']);
    const viewerSees = await stagesOf(h, order.id, users.viewer.token);
    expect(viewerSees).toHaveLength(3);
    const hidden = await as('worker', 'GET', `/stages/${stages[0]!.id}`);
    expect(hidden.statusCode).toBe(404);
    const own = await as('worker', 'GET', `/stages/${stages[1]!.id}`);
    expect(own.statusCode).toBe(200);
  });

  it('a planner acts on any stage of their site without being assigned', async () => {
    const { order, stages } = await workOrderWithStages(h, site.id, ['moulding']);
    expect(stages[0]!.assignees).toEqual([]);
    const started = await as('planner', 'POST', `/stages/${stages[0]!.id}/start`);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ status: 'in_progress', started_by: users.planner.id });
    const finished = await as('planner', 'POST', `/stages/${stages[0]!.id}/done`);
    expect(finished.statusCode).toBe(200);
    expect((await getWorkOrder(h, order.id)).status).toBe('done');
  });

  it('assigning twice is a no-op; unassigning takes the right away again', async () => {
    const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
    const stage = stages[0]!;
    await assign(h, stage.id, users.worker.id, users.planner.token);
    const twice = await assign(h, stage.id, users.worker.id, users.planner.token);
    expect(twice.map((a) => a.user_id)).toEqual([users.worker.id]);
    const listed = await as('viewer', 'GET', `/stages/${stage.id}/assignments`);
    expect(listed.json()).toEqual([
      { user_id: users.worker.id, username: users.worker.username, full_name: null },
    ]);

    const removed = await as('planner', 'DELETE', `/stages/${stage.id}/assignments/${users.worker.id}`);
    expect(removed.statusCode).toBe(204);
    const refused = await as('worker', 'POST', `/stages/${stage.id}/start`);
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('STAGE_NOT_ASSIGNED');
    const again = await as('planner', 'DELETE', `/stages/${stage.id}/assignments/${users.worker.id}`);
    expect(again.statusCode).toBe(404);
    expect(errorCode(again)).toBe('ASSIGNMENT_NOT_FOUND');
  });

  it.each([
    ['a viewer', async () => users.viewer.id],
    ['a technician (cannot work stages)', async () => users.technician.id],
    [
      'a worker of another site',
      async () => (await buildUser(h, { role: 'worker', site_ids: [(await buildSite(h)).id] })).id,
    ],
    ['a user that does not exist', async () => 987654],
  ])('assigning %s → 422 INVALID_ASSIGNEE, nothing assigned', async (_name, userId) => {
    const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
    const response = await as('planner', 'POST', `/stages/${stages[0]!.id}/assignments`, {
      user_id: await userId(),
    });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error_code: 'INVALID_ASSIGNEE', errors: [{ field: 'user_id' }] });
    expect((await getStage(h, stages[0]!.id)).assignees).toEqual([]);
  });

  it('assigning a disabled worker → 422 INVALID_ASSIGNEE', async () => {
    const disabled = await buildUser(h, { role: 'worker', site_ids: [site.id] });
    const off = await h.request({
      method: 'PATCH',
      url: `/auth/users/${disabled.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    const { stages } = await workOrderWithStages(h, site.id, ['moulding']);
    const response = await as('planner', 'POST', `/stages/${stages[0]!.id}/assignments`, {
      user_id: disabled.id,
    });
    expect(response.statusCode).toBe(422);
    expect(errorCode(response)).toBe('INVALID_ASSIGNEE');
  });
});

describe('site isolation (row-level security)', () => {
  let siteB: SiteRecord;
  let orderB: WorkOrder;
  let stageB: Stage;

  beforeAll(async () => {
    siteB = await buildSite(h);
    const made = await workOrderWithStages(h, siteB.id, ['moulding']);
    orderB = made.order;
    stageB = made.stages[0]!;
  });

  it('a planner of site A gets 404 for site B’s work order and stage', async () => {
    for (const [method, url, payload] of [
      ['GET', `/workorders/${orderB.id}`],
      ['GET', `/workorders/${orderB.id}/stages`],
      ['GET', `/workorders/${orderB.id}/metrics`],
      ['PATCH', `/workorders/${orderB.id}`, { qty: 5 }],
      ['DELETE', `/workorders/${orderB.id}`],
      ['GET', `/stages/${stageB.id}`],
      ['GET', `/stages/${stageB.id}/metrics`],
      ['PATCH', `/stages/${stageB.id}`, { stage_name: 'renamed' }],
      ['POST', `/stages/${stageB.id}/start`],
      ['POST', `/stages/${stageB.id}/issue`, { type: 'other', description: 'x' }],
      ['POST', `/stages/${stageB.id}/assignments`, { user_id: users.worker.id }],
    ] as const) {
      const response = await as('planner', method, url, payload);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    expect(await getWorkOrder(h, orderB.id)).toMatchObject({ status: 'planned', qty: orderB.qty });
    expect(await getStage(h, stageB.id)).toMatchObject({
      stage_name: 'moulding',
      assignees: [],
      open_issues: 0,
    });
  });

  it('site B’s orders are not in site A’s lists, and site B cannot be planned into', async () => {
    const listed = await as('planner', 'GET', '/workorders/?limit=500');
    expect(listed.json().map((o: WorkOrder) => o.id)).not.toContain(orderB.id);
    expect(listed.json().every((o: WorkOrder) => o.site_id === site.id)).toBe(true);
    const filtered = await as('planner', 'GET', `/workorders/?site_id=${siteB.id}`);
    expect(filtered.json()).toEqual([]);
    const created = await as('planner', 'POST', '/workorders/', {
      site_id: siteB.id,
      product_code: 'X-1',
      lot_no: uniqueLot(),
      qty: 1,
      planned_start: minutesAgo(60),
      planned_end: minutesAgo(0),
    });
    expect(created.statusCode).toBe(403);
    const route = await as('planner', 'PUT', '/production/routes', {
      site_id: siteB.id,
      name: 'Sneaky',
      steps: [{ stage_name: 'x' }],
    });
    expect(route.statusCode).toBe(403);
  });

  it('a manager of site A cannot see or move site B’s issues', async () => {
    const issue = (
      await raise(h, h.adminToken, stageB.id, { type: 'other', description: 'B' })
    ).json() as Issue;
    const listed = await as('manager', 'GET', '/issues?limit=500');
    expect(listed.json().map((i: Issue) => i.id)).not.toContain(issue.id);
    const patched = await as('manager', 'PATCH', `/stages/${stageB.id}/issues/${issue.id}`, {
      status: 'resolved',
    });
    expect(patched.statusCode).toBe(404);
    const stillOpen = await h.request({
      method: 'GET',
      url: `/stages/${stageB.id}/issues`,
      token: h.adminToken,
    });
    expect(stillOpen.json()[0].status).toBe('open');
  });
});
