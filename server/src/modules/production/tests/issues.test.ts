import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type LineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import {
  assign,
  errorCode,
  getStage,
  getWorkOrder,
  raise,
  workOrderWithStages,
  type Issue,
  type Stage,
} from './production.fixtures.ts';

let h: Harness;
let site: SiteRecord;
let otherSite: SiteRecord;
let worker: UserRecord;
let manager: UserRecord;
let planner: UserRecord;

const DEFAULT_TYPES = [
  'machine_breakdown',
  'material_shortage',
  'quality_problem',
  'tooling_problem',
  'other',
];

/** A stage of a new order (on `lineId` when given) assigned to the worker. */
async function myStage(lineId?: number): Promise<Stage> {
  const { stages } = await workOrderWithStages(
    h,
    site.id,
    ['moulding', 'packing'],
    lineId ? { line_id: lineId } : {},
  );
  await assign(h, stages[0]!.id, worker.id);
  return stages[0]!;
}

async function raised(stage: Stage, payload: Record<string, unknown> = {}): Promise<Issue> {
  const response = await raise(h, worker.token, stage.id, {
    type: 'quality_problem',
    description: 'Flash',
    ...payload,
  });
  if (response.statusCode !== 201) throw new Error(`raise: ${response.statusCode} ${response.body}`);
  return response.json();
}

const patchIssue = (token: string, issue: Issue, payload: Record<string, unknown>) =>
  h.request({
    method: 'PATCH',
    url: `/stages/${issue.work_order_stage_id}/issues/${issue.id}`,
    token,
    payload,
  });

interface Notification {
  kind: string;
  title: string;
  link: string | null;
  site_id: number | null;
}
async function notificationsOf(user: UserRecord): Promise<Notification[]> {
  const response = await h.request({ method: 'GET', url: '/notifications?limit=100', token: user.token });
  expect(response.statusCode).toBe(200);
  return response.json().items;
}

beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  [worker, manager, planner] = await Promise.all([
    buildUser(h, { role: 'worker', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
    buildUser(h, { role: 'planner', site_ids: [site.id] }),
  ]);
});
afterAll(() => h.close());

describe('issue types', () => {
  it('lists the built-in types in their order', async () => {
    const response = await h.request({ method: 'GET', url: '/issue-types', token: worker.token });
    expect(response.statusCode).toBe(200);
    expect(response.json().map((t: { code: string }) => t.code)).toEqual(DEFAULT_TYPES);
  });

  it('refuses an unknown type with 422 UNKNOWN_ISSUE_TYPE listing the known ones, and stores nothing', async () => {
    const stage = await myStage();
    const response = await raise(h, worker.token, stage.id, { type: 'alien_invasion', description: 'x' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error_code: 'UNKNOWN_ISSUE_TYPE', errors: [{ field: 'type' }] });
    for (const code of DEFAULT_TYPES) {
      expect(response.json().message).toContain(code);
      expect(response.json().errors[0].message).toContain(code);
    }
    const issues = await h.request({ method: 'GET', url: `/stages/${stage.id}/issues`, token: worker.token });
    expect(issues.json()).toEqual([]);
    expect((await getStage(h, stage.id)).open_issues).toBe(0);
  });

  it('an admin adds a type and it becomes usable; a deactivated type is refused again', async () => {
    const stage = await myStage();
    const created = await h.request({
      method: 'POST',
      url: '/issue-types',
      token: h.adminToken,
      payload: { code: 'mould_flash', name: 'Mould flash', name_ru: 'Облой', sort_order: 50 },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      code: 'mould_flash',
      name: 'Mould flash',
      name_ru: 'Облой',
      is_active: true,
      sort_order: 50,
    });
    const listed = (await h.request({ method: 'GET', url: '/issue-types', token: worker.token })).json();
    expect(listed.map((t: { code: string }) => t.code)).toEqual([
      'machine_breakdown',
      'material_shortage',
      'quality_problem',
      'tooling_problem',
      'mould_flash',
      'other',
    ]);
    const issue = await raised(stage, { type: 'mould_flash' });
    expect(issue.type).toBe('mould_flash');

    const duplicate = await h.request({
      method: 'POST',
      url: '/issue-types',
      token: h.adminToken,
      payload: { code: 'mould_flash', name: 'Again' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(errorCode(duplicate)).toBe('DUPLICATE_ISSUE_TYPE');

    const off = await h.request({
      method: 'PATCH',
      url: '/issue-types/mould_flash',
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    expect(off.json().is_active).toBe(false);
    const refused = await raise(h, worker.token, stage.id, { type: 'mould_flash', description: 'x' });
    expect(refused.statusCode).toBe(422);
    expect(errorCode(refused)).toBe('UNKNOWN_ISSUE_TYPE');
    const active = (await h.request({ method: 'GET', url: '/issue-types', token: worker.token })).json();
    expect(active.map((t: { code: string }) => t.code)).not.toContain('mould_flash');
    const all = (
      await h.request({ method: 'GET', url: '/issue-types?include_inactive=true', token: worker.token })
    ).json();
    expect(all.map((t: { code: string }) => t.code)).toContain('mould_flash');
  });

  it('refuses a malformed type code', async () => {
    const response = await h.request({
      method: 'POST',
      url: '/issue-types',
      token: h.adminToken,
      payload: { code: 'Mould Flash', name: 'x' },
    });
    expect(response.statusCode).toBe(422);
  });
});

describe('issue lifecycle', () => {
  it('raising records the reporter and counts as open on the stage and the order', async () => {
    const stage = await myStage();
    const response = await raise(h, worker.token, stage.id, {
      type: 'material_shortage',
      description: '  Out of PA66 granulate  ',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      site_id: site.id,
      work_order_stage_id: stage.id,
      work_order_id: stage.work_order_id,
      stage_name: 'moulding',
      type: 'material_shortage',
      description: 'Out of PA66 granulate',
      status: 'open',
      machine_id: null,
      downtime_id: null,
      created_by: worker.id,
      created_by_name: worker.username,
      acknowledged_by: null,
      acknowledged_at: null,
      resolved_by: null,
      resolved_at: null,
    });
    expect((await getStage(h, stage.id)).open_issues).toBe(1);
    expect((await getWorkOrder(h, stage.work_order_id)).open_issues).toBe(1);
    const ofOrder = await h.request({
      method: 'GET',
      url: `/workorders/${stage.work_order_id}/issues`,
      token: worker.token,
    });
    expect(ofOrder.json().map((i: Issue) => i.id)).toEqual([response.json().id]);
  });

  it('open → acknowledged → resolved records who and when; resolved → acknowledged is refused (400)', async () => {
    const stage = await myStage();
    const issue = await raised(stage);

    const acknowledged = await patchIssue(manager.token, issue, { status: 'acknowledged' });
    expect(acknowledged.statusCode).toBe(200);
    expect(acknowledged.json()).toMatchObject({
      status: 'acknowledged',
      acknowledged_by: manager.id,
      resolved_by: null,
      resolved_at: null,
    });
    const ackAt = new Date(acknowledged.json().acknowledged_at).getTime();
    expect(Math.abs(ackAt - Date.now())).toBeLessThan(10_000);

    const resolved = await patchIssue(planner.token, issue, {
      status: 'resolved',
      note: 'New granulate batch',
    });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      acknowledged_by: manager.id,
      acknowledged_at: acknowledged.json().acknowledged_at,
      resolved_by: planner.id,
      resolution_note: 'New granulate batch',
    });
    expect(new Date(resolved.json().resolved_at).getTime()).toBeGreaterThanOrEqual(ackAt);
    expect((await getStage(h, stage.id)).open_issues).toBe(0);

    const back = await patchIssue(manager.token, issue, { status: 'acknowledged' });
    expect(back.statusCode).toBe(400);
    expect(back.json()).toMatchObject({
      error_code: 'INVALID_ISSUE_TRANSITION',
      details: { issue_id: issue.id, from: 'resolved', to: 'acknowledged', allowed: [] },
    });
    const reopen = await patchIssue(manager.token, issue, { status: 'open' });
    expect(reopen.statusCode).toBe(400);
    const unchanged = (
      await h.request({ method: 'GET', url: `/stages/${stage.id}/issues`, token: manager.token })
    ).json()[0];
    expect(unchanged).toMatchObject({ status: 'resolved', resolved_by: planner.id });
  });

  it('open → resolved stamps acknowledged and resolved together', async () => {
    const issue = await raised(await myStage());
    const response = await patchIssue(manager.token, issue, { status: 'resolved' });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      status: 'resolved',
      acknowledged_by: manager.id,
      resolved_by: manager.id,
      resolution_note: null,
    });
    expect(body.acknowledged_at).not.toBeNull();
    expect(body.acknowledged_at).toBe(body.resolved_at);
  });

  it('refuses acknowledging twice and open → open with the allowed moves', async () => {
    const issue = await raised(await myStage());
    const openAgain = await patchIssue(manager.token, issue, { status: 'open' });
    expect(openAgain.statusCode).toBe(400);
    expect(openAgain.json().details.allowed).toEqual(['acknowledged', 'resolved']);
    await patchIssue(manager.token, issue, { status: 'acknowledged' });
    const twice = await patchIssue(manager.token, issue, { status: 'acknowledged' });
    expect(twice.statusCode).toBe(400);
    expect(twice.json().details).toMatchObject({ from: 'acknowledged', allowed: ['resolved'] });
  });

  it('answers 404 ISSUE_NOT_FOUND for an issue addressed through another stage', async () => {
    const issue = await raised(await myStage());
    const elsewhere = await myStage();
    const response = await h.request({
      method: 'PATCH',
      url: `/stages/${elsewhere.id}/issues/${issue.id}`,
      token: manager.token,
      payload: { status: 'acknowledged' },
    });
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('ISSUE_NOT_FOUND');
  });

  it('refuses an unknown status and unknown fields with 422', async () => {
    const issue = await raised(await myStage());
    expect((await patchIssue(manager.token, issue, { status: 'closed' })).statusCode).toBe(422);
    expect(
      (await patchIssue(manager.token, issue, { status: 'acknowledged', resolved_by: 1 })).statusCode,
    ).toBe(422);
  });
});

describe('GET /issues', () => {
  it('filters by status, type, stage and work order, newest first', async () => {
    const filterSite = await buildSite(h);
    const filterWorker = await buildUser(h, { role: 'worker', site_ids: [filterSite.id] });
    const { stages } = await workOrderWithStages(h, filterSite.id, ['a', 'b']);
    const [a, b] = stages as [Stage, Stage];
    await assign(h, a.id, filterWorker.id);
    await assign(h, b.id, filterWorker.id);
    const post = async (stage: Stage, type: string) =>
      (await raise(h, filterWorker.token, stage.id, { type, description: type })).json() as Issue;
    const one = await post(a, 'quality_problem');
    const two = await post(a, 'material_shortage');
    const three = await post(b, 'quality_problem');
    await patchIssue(h.adminToken, two, { status: 'acknowledged' });
    await patchIssue(h.adminToken, three, { status: 'resolved' });

    const ids = async (query: string) => {
      const response = await h.request({
        method: 'GET',
        url: `/issues?site_id=${filterSite.id}&${query}`,
        token: h.adminToken,
      });
      expect(response.statusCode).toBe(200);
      return (response.json() as Issue[]).map((i) => i.id);
    };
    expect(await ids('')).toEqual([three.id, two.id, one.id]);
    expect(await ids('status=open')).toEqual([one.id]);
    expect(await ids('status=acknowledged')).toEqual([two.id]);
    expect(await ids('status=resolved')).toEqual([three.id]);
    expect(await ids('type=quality_problem')).toEqual([three.id, one.id]);
    expect(await ids(`work_order_stage_id=${a.id}`)).toEqual([two.id, one.id]);
    expect(await ids(`work_order_stage_id=${b.id}&type=material_shortage`)).toEqual([]);
    expect(await ids(`work_order_id=${a.work_order_id}&status=open`)).toEqual([one.id]);

    const page = await h.request({
      method: 'GET',
      url: `/issues?site_id=${filterSite.id}&limit=2`,
      token: h.adminToken,
    });
    expect(page.json().map((i: Issue) => i.id)).toEqual([three.id, two.id]);
    const next = page.headers['x-next-cursor'];
    expect(typeof next).toBe('string');
    const rest = await h.request({
      method: 'GET',
      url: `/issues?site_id=${filterSite.id}&limit=2&cursor=${encodeURIComponent(String(next))}`,
      token: h.adminToken,
    });
    expect(rest.json().map((i: Issue) => i.id)).toEqual([one.id]);
  });

  it('shows a manager only the issues of their sites', async () => {
    const foreignWorker = await buildUser(h, { role: 'worker', site_ids: [otherSite.id] });
    const { stages } = await workOrderWithStages(h, otherSite.id, ['x']);
    await assign(h, stages[0]!.id, foreignWorker.id);
    const foreign = (
      await raise(h, foreignWorker.token, stages[0]!.id, { type: 'other', description: 'elsewhere' })
    ).json() as Issue;
    const seen = (await h.request({ method: 'GET', url: '/issues?limit=500', token: manager.token })).json();
    expect(seen.map((i: Issue) => i.id)).not.toContain(foreign.id);
    expect(seen.every((i: Issue) => i.site_id === site.id)).toBe(true);
    const patched = await patchIssue(manager.token, foreign, { status: 'acknowledged' });
    expect(patched.statusCode).toBe(404);
  });
});

describe('machine breakdowns', () => {
  let lineOfOne: LineRecord;
  let onlyMachine: { id: number; code: string };

  beforeAll(async () => {
    lineOfOne = await buildLine(h, site.id);
    onlyMachine = await buildMachine(h, lineOfOne.id);
  });

  async function expectOpenIssueDowntime(downtimeId: number | null, machineId: number) {
    expect(downtimeId).not.toBeNull();
    const downtime = await h.request({
      method: 'GET',
      url: `/downtimes/${downtimeId}`,
      token: manager.token,
    });
    expect(downtime.statusCode).toBe(200);
    expect(downtime.json()).toMatchObject({
      machine_id: machineId,
      source: 'issue',
      end_datetime: null,
      planned: false,
      reason_id: null,
      reported_by: worker.id,
    });
    const machine = await h.request({ method: 'GET', url: `/machines/${machineId}`, token: manager.token });
    expect(machine.json().status).toBe('broken');
  }

  async function endDowntime(id: number) {
    const ended = await h.request({
      method: 'POST',
      url: `/downtimes/${id}/end`,
      token: h.adminToken,
      payload: {},
    });
    expect(ended.statusCode).toBe(200);
  }

  it('on a line with exactly one machine opens a downtime on that machine', async () => {
    const stage = await myStage(lineOfOne.id);
    const issue = await raised(stage, { type: 'machine_breakdown', description: 'Hydraulic leak' });
    expect(issue.machine_id).toBe(onlyMachine.id);
    await expectOpenIssueDowntime(issue.downtime_id, onlyMachine.id);
    const downtime = (
      await h.request({ method: 'GET', url: `/downtimes/${issue.downtime_id}`, token: manager.token })
    ).json();
    expect(downtime.comment).toContain('Hydraulic leak');
    expect(Math.abs(new Date(downtime.start_datetime).getTime() - Date.now())).toBeLessThan(10_000);

    // A second breakdown while the machine is still down joins the open stop.
    const again = await raised(stage, { type: 'machine_breakdown', description: 'Still leaking' });
    expect(again.downtime_id).toBe(issue.downtime_id);
    await endDowntime(issue.downtime_id!);
  });

  it('with machine_id given opens the downtime on that machine', async () => {
    const line = await buildLine(h, site.id);
    const [m1, m2] = [await buildMachine(h, line.id), await buildMachine(h, line.id)];
    const stage = await myStage(line.id);
    const issue = await raised(stage, { type: 'machine_breakdown', description: 'Jam', machine_id: m2.id });
    expect(issue.machine_id).toBe(m2.id);
    await expectOpenIssueDowntime(issue.downtime_id, m2.id);
    const untouched = await h.request({ method: 'GET', url: `/machines/${m1.id}`, token: manager.token });
    expect(untouched.json().status).toBe('operational');
    await endDowntime(issue.downtime_id!);
  });

  it('uses the stage’s machine set with PATCH /stages/:id', async () => {
    const line = await buildLine(h, site.id);
    const [, m2] = [await buildMachine(h, line.id), await buildMachine(h, line.id)];
    const stage = await myStage(line.id);
    const patched = await h.request({
      method: 'PATCH',
      url: `/stages/${stage.id}`,
      token: planner.token,
      payload: { machine_id: m2.id },
    });
    expect(patched.statusCode).toBe(200);
    const issue = await raised(stage, { type: 'machine_breakdown', description: 'Motor overheated' });
    expect(issue.machine_id).toBe(m2.id);
    await expectOpenIssueDowntime(issue.downtime_id, m2.id);
    await endDowntime(issue.downtime_id!);
  });

  it('without a machine to name (two machines on the line, none given) records the issue only', async () => {
    const line = await buildLine(h, site.id);
    const [m1, m2] = [await buildMachine(h, line.id), await buildMachine(h, line.id)];
    const stage = await myStage(line.id);
    const issue = await raised(stage, { type: 'machine_breakdown', description: 'Something broke' });
    expect(issue).toMatchObject({ type: 'machine_breakdown', machine_id: null, downtime_id: null });
    for (const machine of [m1, m2]) {
      const found = await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: manager.token });
      expect(found.json().status).toBe('operational');
    }
  });

  it('on a line with one active machine and one deactivated, opens the downtime on the active one', async () => {
    const line = await buildLine(h, site.id);
    const [retired, active] = [await buildMachine(h, line.id), await buildMachine(h, line.id)];
    const off = await h.request({
      method: 'PATCH',
      url: `/machines/${retired.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    const stage = await myStage(line.id);
    const issue = await raised(stage, { type: 'machine_breakdown', description: 'Conveyor stuck' });
    expect(issue.machine_id).toBe(active.id);
    await expectOpenIssueDowntime(issue.downtime_id, active.id);
    await endDowntime(issue.downtime_id!);
  });

  it('another type does not stop the machine', async () => {
    const line = await buildLine(h, site.id);
    const machine = await buildMachine(h, line.id);
    const stage = await myStage(line.id);
    const issue = await raised(stage, { type: 'tooling_problem', description: 'Worn insert' });
    expect(issue.downtime_id).toBeNull();
    const found = await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: manager.token });
    expect(found.json().status).toBe('operational');
  });

  it('refuses a machine of another site (422 UNKNOWN_MACHINE) and opens nothing', async () => {
    const foreign = await buildMachine(h, (await buildLine(h, otherSite.id)).id);
    const stage = await myStage();
    const response = await raise(h, worker.token, stage.id, {
      type: 'machine_breakdown',
      description: 'x',
      machine_id: foreign.id,
    });
    expect(response.statusCode).toBe(422);
    expect(errorCode(response)).toBe('UNKNOWN_MACHINE');
    const machine = await h.request({ method: 'GET', url: `/machines/${foreign.id}`, token: h.adminToken });
    expect(machine.json().status).toBe('operational');
    expect((await getStage(h, stage.id)).open_issues).toBe(0);
  });
});

describe('notifications', () => {
  it('a new issue notifies the site’s planners and managers, not workers or other sites’ people', async () => {
    const noteSite = await buildSite(h);
    const [reporter, siteManager, sitePlanner, otherWorker, foreignPlanner, technician] = await Promise.all([
      buildUser(h, { role: 'worker', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'manager', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'planner', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'worker', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'planner', site_ids: [otherSite.id] }),
      buildUser(h, { role: 'technician', site_ids: [noteSite.id] }),
    ]);
    const { order, stages } = await workOrderWithStages(h, noteSite.id, ['moulding']);
    await assign(h, stages[0]!.id, reporter.id);
    const response = await raise(h, reporter.token, stages[0]!.id, {
      type: 'quality_problem',
      description: 'Sink marks on every part',
    });
    expect(response.statusCode).toBe(201);

    for (const person of [siteManager, sitePlanner]) {
      const notes = await notificationsOf(person);
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        kind: 'production_issue',
        site_id: noteSite.id,
        link: `/app/production/work-orders/${order.id}`,
      });
      expect(notes[0]!.title).toContain(order.lot_no);
    }
    for (const person of [reporter, otherWorker, foreignPlanner, technician]) {
      expect(await notificationsOf(person)).toEqual([]);
    }
  });

  it('the reporter is told when their issue is resolved', async () => {
    const noteSite = await buildSite(h);
    const [reporter, siteManager] = await Promise.all([
      buildUser(h, { role: 'worker', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'manager', site_ids: [noteSite.id] }),
    ]);
    const { order, stages } = await workOrderWithStages(h, noteSite.id, ['moulding']);
    await assign(h, stages[0]!.id, reporter.id);
    const issue = (
      await raise(h, reporter.token, stages[0]!.id, { type: 'other', description: 'Light curtain fault' })
    ).json() as Issue;
    expect(await notificationsOf(reporter)).toEqual([]);

    const resolved = await patchIssue(siteManager.token, issue, { status: 'resolved', note: 'Recalibrated' });
    expect(resolved.statusCode).toBe(200);
    const notes = await notificationsOf(reporter);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'production_issue_status', site_id: noteSite.id });
    expect(notes[0]!.title).toContain('resolved');
    expect(notes[0]!.title).toContain(order.lot_no);
    // The manager who resolved it got only the notification of the new issue.
    expect((await notificationsOf(siteManager)).map((n) => n.kind)).toEqual(['production_issue']);
  });

  it('the reporter is told of the acknowledgement too, but not of their own moves', async () => {
    const noteSite = await buildSite(h);
    const [reporter, siteManager, sitePlanner] = await Promise.all([
      buildUser(h, { role: 'worker', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'manager', site_ids: [noteSite.id] }),
      buildUser(h, { role: 'planner', site_ids: [noteSite.id] }),
    ]);
    const { stages } = await workOrderWithStages(h, noteSite.id, ['moulding', 'packing']);
    await assign(h, stages[0]!.id, reporter.id);
    const issue = (
      await raise(h, reporter.token, stages[0]!.id, { type: 'other', description: 'Guard door open' })
    ).json() as Issue;
    await patchIssue(siteManager.token, issue, { status: 'acknowledged' });
    expect((await notificationsOf(reporter)).map((n) => n.title)).toEqual([
      expect.stringContaining('acknowledged'),
    ]);

    // A planner who reports and resolves their own issue is not told about it.
    const own = (
      await raise(h, sitePlanner.token, stages[1]!.id, { type: 'other', description: 'Label printer' })
    ).json() as Issue;
    const before = (await notificationsOf(sitePlanner)).length;
    expect((await patchIssue(sitePlanner.token, own, { status: 'resolved' })).statusCode).toBe(200);
    const after = await notificationsOf(sitePlanner);
    expect(after).toHaveLength(before);
    expect(after.some((n) => n.kind === 'production_issue_status')).toBe(false);
  });

  it('a site without planners or managers still takes the issue', async () => {
    const quiet = await buildSite(h);
    const lone = await buildUser(h, { role: 'worker', site_ids: [quiet.id] });
    const { stages } = await workOrderWithStages(h, quiet.id, ['moulding']);
    await assign(h, stages[0]!.id, lone.id);
    const response = await raise(h, lone.token, stages[0]!.id, { type: 'other', description: 'Nobody home' });
    expect(response.statusCode).toBe(201);
  });
});

describe('visibility of issues', () => {
  it('a worker sees the issues of their own stages only', async () => {
    const { stages } = await workOrderWithStages(h, site.id, ['mine', 'theirs']);
    const colleague = await buildUser(h, { role: 'worker', site_ids: [site.id] });
    await assign(h, stages[0]!.id, worker.id);
    await assign(h, stages[1]!.id, colleague.id);
    const mine = (await raise(h, worker.token, stages[0]!.id, { type: 'other', description: 'a' })).json();
    const theirs = (
      await raise(h, colleague.token, stages[1]!.id, { type: 'other', description: 'b' })
    ).json();

    const ofOrder = await h.request({
      method: 'GET',
      url: `/workorders/${stages[0]!.work_order_id}/issues`,
      token: worker.token,
    });
    expect(ofOrder.json().map((i: Issue) => i.id)).toEqual([mine.id]);
    const ofOtherStage = await h.request({
      method: 'GET',
      url: `/stages/${stages[1]!.id}/issues`,
      token: worker.token,
    });
    expect(ofOtherStage.statusCode).toBe(404);
    const planners = await h.request({
      method: 'GET',
      url: `/workorders/${stages[0]!.work_order_id}/issues`,
      token: planner.token,
    });
    expect(planners.json().map((i: Issue) => i.id)).toEqual([theirs.id, mine.id]);
  });
});
