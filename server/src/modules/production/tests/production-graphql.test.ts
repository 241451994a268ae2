import { randomBytes } from 'node:crypto';
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

let h: Harness;
let site: SiteRecord;
let planner: UserRecord;
let worker: UserRecord;
let otherWorker: UserRecord;
let viewer: UserRecord;
let machine: MachineRecord;

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  [planner, worker, otherWorker, viewer] = await Promise.all([
    buildUser(h, { role: 'planner', site_ids: [site.id] }),
    buildUser(h, { role: 'worker', site_ids: [site.id] }),
    buildUser(h, { role: 'worker', site_ids: [site.id] }),
    buildUser(h, { role: 'viewer', site_ids: [site.id] }),
  ]);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
});
afterAll(() => h.close());

interface GqlError {
  message: string;
  extensions: { code: string; details?: Record<string, unknown>; errors?: { field: string }[] };
}

/** Posts an operation; answers the parsed body ({ data, errors }). */
async function gql(token: string, query: string, variables?: Record<string, unknown>) {
  const response = await h.request({ method: 'POST', url: '/graphql', token, payload: { query, variables } });
  return response.json();
}

/** The data of a call that must succeed (the errors are shown when it does not). */
async function ok(token: string, query: string, variables?: Record<string, unknown>) {
  const result = await gql(token, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data;
}

const codeOf = (result: { errors?: GqlError[] }) => result.errors?.[0]?.extensions.code;
const lot = () => `GQL-${randomBytes(4).toString('hex')}`;
const MINUTE = 60_000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();

const CREATE = `mutation($input: WorkOrderInput!) {
  createWorkOrder(input: $input) { id siteId productCode lotNo qty status stageCount stagesDone }
}`;

/** A work order created by the planner with the given stages; answers its id and its stage ids in order. */
async function workOrderWith(stageNames: string[], window = { start: minutesAgo(180), end: minutesAgo(60) }) {
  const created = await ok(planner.token, CREATE, {
    input: {
      siteId: site.id,
      productCode: 'GQL-PART',
      lotNo: lot(),
      qty: 100,
      plannedStart: window.start,
      plannedEnd: window.end,
      stages: stageNames.map((stageName) => ({ stageName })),
    },
  });
  const id: string = created.createWorkOrder.id;
  const read = await ok(planner.token, `{ workOrder(id: "${id}") { stages { id } } }`);
  return { id, stageIds: read.workOrder.stages.map((stage: { id: string }) => stage.id) as string[] };
}

const assign = (stageId: string, userId: number) =>
  ok(
    planner.token,
    `mutation { assignStage(stageId: "${stageId}", userId: "${userId}") { userId username } }`,
  );

const STAGE_FIELDS = 'id status actualStart actualEnd startedBy finishedBy';
const start = (token: string, stageId: string, actualStart?: string) =>
  gql(
    token,
    `mutation($id: ID!, $at: DateTime) { startStage(id: $id, actualStart: $at) { ${STAGE_FIELDS} } }`,
    { id: stageId, at: actualStart },
  );
const finish = (token: string, stageId: string, actualEnd?: string) =>
  gql(
    token,
    `mutation($id: ID!, $at: DateTime) { finishStage(id: $id, actualEnd: $at) { ${STAGE_FIELDS} } }`,
    { id: stageId, at: actualEnd },
  );

describe('production over GraphQL', () => {
  it('lets a planner create a work order and read it back with its stages, machines and list page', async () => {
    const lotNo = lot();
    const created = await ok(planner.token, CREATE, {
      input: {
        productCode: 'GQL-PART',
        lotNo,
        qty: 250,
        plannedStart: '2026-03-02T06:00:00Z',
        plannedEnd: '2026-03-02T14:00:00Z',
        notes: 'Rush order',
        stages: [{ stageName: 'Moulding', machineId: machine.id }, { stageName: 'Packing' }],
      },
    });
    // One site: the order goes to the planner's only site.
    expect(created.createWorkOrder).toMatchObject({
      siteId: String(site.id),
      productCode: 'GQL-PART',
      lotNo,
      qty: 250,
      status: 'PLANNED',
      stageCount: 2,
      stagesDone: 0,
    });
    const id = created.createWorkOrder.id;

    const read = await ok(
      planner.token,
      `{ workOrder(id: "${id}") {
          lotNo notes
          stages { position stageName status plannedStart plannedEnd machineCode machine { code } assignees { userId } }
          issues { id }
          metrics { status plannedMinutes actualMinutes reason stages { stageName reason } }
      } }`,
    );
    expect(read.workOrder.notes).toBe('Rush order');
    expect(read.workOrder.stages).toEqual([
      {
        position: 1,
        stageName: 'Moulding',
        status: 'PLANNED',
        // Stages without their own window share the order's window evenly.
        plannedStart: '2026-03-02T06:00:00.000Z',
        plannedEnd: '2026-03-02T10:00:00.000Z',
        machineCode: machine.code,
        machine: { code: machine.code },
        assignees: [],
      },
      {
        position: 2,
        stageName: 'Packing',
        status: 'PLANNED',
        plannedStart: '2026-03-02T10:00:00.000Z',
        plannedEnd: '2026-03-02T14:00:00.000Z',
        machineCode: null,
        machine: null,
        assignees: [],
      },
    ]);
    expect(read.workOrder.issues).toEqual([]);
    expect(read.workOrder.metrics).toMatchObject({
      status: 'PLANNED',
      plannedMinutes: 480,
      actualMinutes: null,
      reason: 'not_started',
      stages: [
        { stageName: 'Moulding', reason: 'not_started' },
        { stageName: 'Packing', reason: 'not_started' },
      ],
    });

    // Without stages the order gets the route's (here the built-in route's) stages.
    const routed = await ok(planner.token, CREATE, {
      input: {
        productCode: 'GQL-ROUTED',
        lotNo: lot(),
        qty: 5,
        plannedStart: '2026-03-03T06:00:00Z',
        plannedEnd: '2026-03-03T14:00:00Z',
      },
    });
    const routes = await ok(
      planner.token,
      `{ productionRoutes(siteId: "${site.id}") { builtIn steps { stageName } } }`,
    );
    const builtIn = routes.productionRoutes.find((route: { builtIn: boolean }) => route.builtIn);
    const routedStages = await ok(
      planner.token,
      `{ workOrder(id: "${routed.createWorkOrder.id}") { stageCount stages { stageName } } }`,
    );
    expect(routedStages.workOrder.stages.map((s: { stageName: string }) => s.stageName)).toEqual(
      builtIn.steps.map((s: { stageName: string }) => s.stageName),
    );
    expect(routedStages.workOrder.stageCount).toBe(builtIn.steps.length);

    const page = await ok(
      planner.token,
      `{ workOrders(filter: { siteId: "${site.id}", productCode: "GQL-PART", text: "${lotNo}" }, first: 10) {
          items { id lotNo stages { stageName } } nextCursor } }`,
    );
    expect(page.workOrders).toEqual({
      items: [{ id, lotNo, stages: [{ stageName: 'Moulding' }, { stageName: 'Packing' }] }],
      nextCursor: null,
    });

    const updated = await ok(
      planner.token,
      `mutation { updateWorkOrder(id: "${id}", input: { qty: 300, notes: null }) { qty notes } }`,
    );
    expect(updated.updateWorkOrder).toEqual({ qty: 300, notes: null });

    const bad = await gql(planner.token, CREATE, {
      input: {
        productCode: 'GQL-PART',
        lotNo: lot(),
        qty: 0,
        plannedStart: '2026-03-02T14:00:00Z',
        plannedEnd: '2026-03-02T06:00:00Z',
      },
    });
    expect(codeOf(bad)).toBe('VALIDATION_FAILED');
    expect(bad.errors[0].extensions.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'planned_end',
      'qty',
    ]);

    expect(await ok(planner.token, `mutation { deleteWorkOrder(id: "${id}") }`)).toEqual({
      deleteWorkOrder: true,
    });
    expect(codeOf(await gql(planner.token, `{ workOrder(id: "${id}") { id } }`))).toBe(
      'WORK_ORDER_NOT_FOUND',
    );
  });

  it('lets an assigned worker start and finish a stage; the order follows', async () => {
    const order = await workOrderWith(['Cutting', 'Welding']);
    const [first, second] = order.stageIds as [string, string];
    const assignees = await assign(first, worker.id);
    expect(assignees.assignStage).toEqual([{ userId: String(worker.id), username: worker.username }]);
    await assign(second, worker.id);

    // The worker sees the stages assigned to them, today's list included.
    const mine = await ok(worker.token, '{ myStages { id stageName workOrder { id } } }');
    expect(mine.myStages.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([first, second]));

    const startedAt = minutesAgo(50);
    const started = await start(worker.token, first, startedAt);
    expect(started.errors).toBeUndefined();
    expect(started.data.startStage).toMatchObject({
      id: first,
      status: 'IN_PROGRESS',
      actualStart: new Date(startedAt).toISOString(),
      startedBy: String(worker.id),
      actualEnd: null,
    });
    const running = await ok(worker.token, `{ workOrder(id: "${order.id}") { status actualStart } }`);
    expect(running.workOrder).toEqual({
      status: 'IN_PROGRESS',
      actualStart: new Date(startedAt).toISOString(),
    });

    const finished = await finish(worker.token, first);
    expect(finished.errors).toBeUndefined();
    expect(finished.data.finishStage).toMatchObject({ status: 'DONE', finishedBy: String(worker.id) });
    expect(new Date(finished.data.finishStage.actualEnd).getTime()).toBeGreaterThan(Date.parse(startedAt));

    await start(worker.token, second);
    expect((await finish(worker.token, second)).errors).toBeUndefined();
    const done = await ok(
      planner.token,
      `{ workOrder(id: "${order.id}") { status stagesDone stages { status } metrics { status actualMinutes } } }`,
    );
    expect(done.workOrder).toMatchObject({
      status: 'DONE',
      stagesDone: 2,
      stages: [{ status: 'DONE' }, { status: 'DONE' }],
      metrics: { status: 'DONE' },
    });
    expect(done.workOrder.metrics.actualMinutes).toBeGreaterThan(0);
  });

  it('answers INVALID_STAGE_TRANSITION with the allowed moves', async () => {
    const order = await workOrderWith(['Pressing']);
    const [stageId] = order.stageIds as [string];
    await assign(stageId, worker.id);

    const early = await finish(worker.token, stageId);
    expect(early.data).toBeNull();
    expect(codeOf(early)).toBe('INVALID_STAGE_TRANSITION');
    expect(early.errors[0].extensions.details).toMatchObject({
      from: 'planned',
      to: 'done',
      allowed: ['start'],
    });

    expect((await start(worker.token, stageId)).errors).toBeUndefined();
    const twice = await start(worker.token, stageId);
    expect(codeOf(twice)).toBe('INVALID_STAGE_TRANSITION');
    expect(twice.errors[0].extensions.details).toMatchObject({ from: 'in_progress', allowed: ['done'] });

    expect((await finish(worker.token, stageId)).errors).toBeUndefined();
    const after = await start(worker.token, stageId);
    expect(codeOf(after)).toBe('INVALID_STAGE_TRANSITION');
    expect(after.errors[0].extensions.details).toMatchObject({ from: 'done', allowed: [] });
    const stage = await ok(planner.token, `{ stage(id: "${stageId}") { status } }`);
    expect(stage.stage.status).toBe('DONE');
  });

  it('refuses a worker a stage not assigned to them (STAGE_NOT_ASSIGNED), and hides it', async () => {
    const order = await workOrderWith(['Drilling', 'Deburring']);
    const [theirs, mine] = order.stageIds as [string, string];
    await assign(theirs, otherWorker.id);
    await assign(mine, worker.id);

    const refused = await start(worker.token, theirs);
    expect(codeOf(refused)).toBe('STAGE_NOT_ASSIGNED');
    const untouched = await ok(planner.token, `{ stage(id: "${theirs}") { status actualStart } }`);
    expect(untouched.stage).toEqual({ status: 'PLANNED', actualStart: null });

    // A worker sees only their own stages of the order.
    const seen = await ok(worker.token, `{ workOrder(id: "${order.id}") { stages { id } } }`);
    expect(seen.workOrder.stages).toEqual([{ id: mine }]);
    expect(codeOf(await gql(worker.token, `{ stage(id: "${theirs}") { id } }`))).toBe('STAGE_NOT_FOUND');

    // Unassigned, the other worker loses the stage too.
    expect(
      await ok(
        planner.token,
        `mutation { unassignStage(stageId: "${theirs}", userId: "${otherWorker.id}") }`,
      ),
    ).toEqual({ unassignStage: true });
    expect(codeOf(await start(otherWorker.token, theirs))).toBe('STAGE_NOT_ASSIGNED');
  });

  it('lets a worker raise an issue and a planner acknowledge and resolve it', async () => {
    const order = await workOrderWith(['Painting']);
    const [stageId] = order.stageIds as [string];
    await assign(stageId, worker.id);

    const raised = await ok(
      worker.token,
      `mutation { raiseIssue(stageId: "${stageId}", type: "quality_problem", description: "Paint runs on the left side") {
          id stageId workOrderId type description status createdBy acknowledgedAt resolvedAt } }`,
    );
    const issue = raised.raiseIssue;
    expect(issue).toMatchObject({
      stageId,
      workOrderId: order.id,
      type: 'quality_problem',
      description: 'Paint runs on the left side',
      status: 'OPEN',
      createdBy: String(worker.id),
      acknowledgedAt: null,
      resolvedAt: null,
    });
    const unknownType = await gql(
      worker.token,
      `mutation { raiseIssue(stageId: "${stageId}", type: "ghosts", description: "Boo") { id } }`,
    );
    expect(codeOf(unknownType)).toBe('UNKNOWN_ISSUE_TYPE');

    const onStage = await ok(worker.token, `{ stage(id: "${stageId}") { openIssues issues { id status } } }`);
    expect(onStage.stage).toEqual({ openIssues: 1, issues: [{ id: issue.id, status: 'OPEN' }] });

    // A worker cannot manage issues.
    const workerAck = await gql(
      worker.token,
      `mutation { updateIssueStatus(stageId: "${stageId}", issueId: "${issue.id}", status: ACKNOWLEDGED) { id } }`,
    );
    expect(codeOf(workerAck)).toBe('FORBIDDEN');

    const acknowledged = await ok(
      planner.token,
      `mutation { updateIssueStatus(stageId: "${stageId}", issueId: "${issue.id}", status: ACKNOWLEDGED) {
          status acknowledgedBy acknowledgedAt resolvedAt } }`,
    );
    expect(acknowledged.updateIssueStatus).toMatchObject({
      status: 'ACKNOWLEDGED',
      acknowledgedBy: String(planner.id),
      resolvedAt: null,
    });
    expect(acknowledged.updateIssueStatus.acknowledgedAt).toEqual(expect.any(String));

    const resolved = await ok(
      planner.token,
      `mutation { updateIssueStatus(stageId: "${stageId}", issueId: "${issue.id}", status: RESOLVED, note: "Nozzle cleaned") {
          status resolvedBy resolutionNote } }`,
    );
    expect(resolved.updateIssueStatus).toEqual({
      status: 'RESOLVED',
      resolvedBy: String(planner.id),
      resolutionNote: 'Nozzle cleaned',
    });

    const back = await gql(
      planner.token,
      `mutation { updateIssueStatus(stageId: "${stageId}", issueId: "${issue.id}", status: ACKNOWLEDGED) { id } }`,
    );
    expect(codeOf(back)).toBe('INVALID_ISSUE_TRANSITION');
    expect(back.errors[0].extensions.details).toMatchObject({ from: 'resolved', allowed: [] });

    const listed = await ok(
      planner.token,
      `{ issues(filter: { workOrderId: "${order.id}" }) { items { id status resolutionNote } nextCursor } }`,
    );
    expect(listed.issues).toEqual({
      items: [{ id: issue.id, status: 'RESOLVED', resolutionNote: 'Nozzle cleaned' }],
      nextCursor: null,
    });
    const orderIssues = await ok(
      planner.token,
      `{ workOrder(id: "${order.id}") { openIssues issues { id } } }`,
    );
    expect(orderIssues.workOrder).toEqual({ openIssues: 0, issues: [{ id: issue.id }] });
  });

  it('computes production metrics of what finished', async () => {
    // Planned 60 minutes (2 h to 1 h ago); worked 90 minutes (100 to 10 minutes ago).
    const order = await workOrderWith(['Assembly'], { start: minutesAgo(120), end: minutesAgo(60) });
    const [stageId] = order.stageIds as [string];
    await assign(stageId, worker.id);
    expect((await start(worker.token, stageId, minutesAgo(100))).errors).toBeUndefined();
    expect((await finish(worker.token, stageId, minutesAgo(10))).errors).toBeUndefined();

    const stageMetrics = await ok(
      planner.token,
      `{ stage(id: "${stageId}") { metrics { status plannedMinutes actualMinutes delayMinutes efficiencyPct onTime reason } } }`,
    );
    expect(stageMetrics.stage.metrics).toEqual({
      status: 'DONE',
      plannedMinutes: 60,
      actualMinutes: 90,
      delayMinutes: 30,
      efficiencyPct: 66.67,
      onTime: false,
      reason: null,
    });

    const summary = await ok(
      viewer.token,
      `{ productionMetrics(siteId: "${site.id}", level: WORK_ORDER, bucket: DAY) {
          from to level reason finished withWindows onTime onTimePct avgDelayMinutes efficiencyPct
          buckets { bucketStart finished efficiencyPct } } }`,
    );
    const metrics = summary.productionMetrics;
    expect(metrics.level).toBe('WORK_ORDER');
    expect(metrics.reason).toBeNull();
    expect(metrics.finished).toBeGreaterThanOrEqual(1);
    expect(metrics.withWindows).toBeGreaterThanOrEqual(1);
    for (const figure of ['onTime', 'onTimePct', 'avgDelayMinutes', 'efficiencyPct'])
      expect(typeof metrics[figure], figure).toBe('number');
    expect(metrics.onTimePct).toBeGreaterThanOrEqual(0);
    expect(metrics.onTimePct).toBeLessThanOrEqual(100);
    expect(metrics.buckets.length).toBeGreaterThanOrEqual(30);
    expect(metrics.buckets.reduce((sum: number, b: { finished: number }) => sum + b.finished, 0)).toBe(
      metrics.finished,
    );

    const stages = await ok(
      planner.token,
      `{ productionMetrics(siteId: "${site.id}", level: STAGE, bucket: WEEK) { level finished } }`,
    );
    expect(stages.productionMetrics.level).toBe('STAGE');
    expect(stages.productionMetrics.finished).toBeGreaterThanOrEqual(1);

    const backwards = await gql(
      planner.token,
      `{ productionMetrics(from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z") { finished } }`,
    );
    expect(codeOf(backwards)).toBe('INVALID_PLANNED_WINDOW');
  });

  it('refuses a viewer createWorkOrder (FORBIDDEN) and creates nothing', async () => {
    const lotNo = lot();
    const refused = await gql(viewer.token, CREATE, {
      input: {
        productCode: 'GQL-PART',
        lotNo,
        qty: 1,
        plannedStart: '2026-03-02T06:00:00Z',
        plannedEnd: '2026-03-02T14:00:00Z',
      },
    });
    expect(refused.data).toBeNull();
    expect(codeOf(refused)).toBe('FORBIDDEN');
    const found = await ok(viewer.token, `{ workOrders(filter: { text: "${lotNo}" }) { items { id } } }`);
    expect(found.workOrders.items).toEqual([]);
  });

  it('keeps routes, issue types and machine readings', async () => {
    const route = await ok(
      planner.token,
      `mutation { saveProductionRoute(input: { siteId: "${site.id}", productCode: "GQL-ROUTE", name: "Two steps",
          steps: [{ stageName: "Cut" }, { stageName: "Sew", weight: 3 }] }) { id productCode builtIn steps { stageName weight } } }`,
    );
    expect(route.saveProductionRoute).toMatchObject({
      productCode: 'GQL-ROUTE',
      builtIn: false,
      steps: [
        { stageName: 'Cut', weight: 1 },
        { stageName: 'Sew', weight: 3 },
      ],
    });
    const routed = await ok(planner.token, CREATE, {
      input: {
        productCode: 'GQL-ROUTE',
        lotNo: lot(),
        qty: 4,
        plannedStart: '2026-03-04T06:00:00Z',
        plannedEnd: '2026-03-04T10:00:00Z',
      },
    });
    const routedStages = await ok(
      planner.token,
      `{ workOrder(id: "${routed.createWorkOrder.id}") { stages { stageName plannedStart plannedEnd } } }`,
    );
    expect(routedStages.workOrder.stages).toEqual([
      { stageName: 'Cut', plannedStart: '2026-03-04T06:00:00.000Z', plannedEnd: '2026-03-04T07:00:00.000Z' },
      { stageName: 'Sew', plannedStart: '2026-03-04T07:00:00.000Z', plannedEnd: '2026-03-04T10:00:00.000Z' },
    ]);
    expect(
      await ok(planner.token, `mutation { deleteProductionRoute(id: "${route.saveProductionRoute.id}") }`),
    ).toEqual({ deleteProductionRoute: true });

    const code = `gql_${randomBytes(3).toString('hex')}`;
    const type = await ok(
      h.adminToken,
      `mutation { createIssueType(input: { code: "${code}", name: "Power cut" }) { code name isActive sortOrder } }`,
    );
    expect(type.createIssueType).toEqual({ code, name: 'Power cut', isActive: true, sortOrder: 100 });
    await ok(
      h.adminToken,
      `mutation { updateIssueType(code: "${code}", input: { isActive: false }) { code } }`,
    );
    const active = await ok(viewer.token, '{ issueTypes { code } }');
    const all = await ok(viewer.token, '{ issueTypes(includeInactive: true) { code isActive } }');
    expect(active.issueTypes.map((t: { code: string }) => t.code)).not.toContain(code);
    expect(all.issueTypes).toContainEqual({ code, isActive: false });

    const recorded = await ok(
      h.adminToken,
      `mutation { recordMachineReadings(machine: "${machine.code}", readings: [
          { readingType: "Temperature", value: 71.5, unit: "C", timestamp: "${minutesAgo(5)}" },
          { readingType: "pressure", value: 2.1 }]) { machineId readingType value unit } }`,
    );
    expect(recorded.recordMachineReadings).toEqual([
      { machineId: String(machine.id), readingType: 'temperature', value: 71.5, unit: 'C' },
      { machineId: String(machine.id), readingType: 'pressure', value: 2.1, unit: null },
    ]);
    const listed = await ok(
      viewer.token,
      `{ machineReadings(machine: "${machine.id}", readingType: "temperature") { value unit } }`,
    );
    expect(listed.machineReadings).toEqual([{ value: 71.5, unit: 'C' }]);
  });
});
