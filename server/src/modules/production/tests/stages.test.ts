import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, buildUser, type SiteRecord, type UserRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import {
  assign,
  buildWorkOrder,
  done,
  errorCode,
  getStage,
  getWorkOrder,
  iso,
  minutesAgo,
  runStage,
  start,
  stagesOf,
  workOrderWithStages,
  type Stage,
} from './production.fixtures.ts';

let h: Harness;
let site: SiteRecord;
let worker: UserRecord;

/** A fresh stage assigned to the worker (first stage of a new two-stage order). */
async function myStage(): Promise<Stage> {
  const { stages } = await workOrderWithStages(h, site.id);
  await assign(h, stages[0]!.id, worker.id);
  return stages[0]!;
}

const closeToNow = (value: string | null) => {
  expect(value).not.toBeNull();
  expect(Math.abs(new Date(value!).getTime() - Date.now())).toBeLessThan(10_000);
};

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  worker = await buildUser(h, { role: 'worker', site_ids: [site.id] });
});
afterAll(() => h.close());

describe('stage moves (the mobile client’s cases)', () => {
  it('start → 200 in_progress with actual_start; start again → 400 INVALID_STAGE_TRANSITION with allowed', async () => {
    const stage = await myStage();
    const started = await start(h, worker.token, stage.id);
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({
      id: stage.id,
      status: 'in_progress',
      actual_end: null,
      started_by: worker.id,
    });
    closeToNow(started.json().actual_start);

    const again = await start(h, worker.token, stage.id);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({
      success: false,
      error_code: 'INVALID_STAGE_TRANSITION',
      details: {
        stage_id: stage.id,
        from: 'in_progress',
        to: 'in_progress',
        action: 'start',
        allowed: ['done'],
      },
    });
    // The refused move changed nothing.
    expect((await getStage(h, stage.id)).actual_start).toBe(started.json().actual_start);
  });

  it('done after start → 200 done with actual_end; done again → 400 with nothing allowed', async () => {
    const stage = await myStage();
    expect((await start(h, worker.token, stage.id)).statusCode).toBe(200);
    const finished = await done(h, worker.token, stage.id);
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toMatchObject({ status: 'done', finished_by: worker.id });
    closeToNow(finished.json().actual_end);
    expect(new Date(finished.json().actual_end).getTime()).toBeGreaterThanOrEqual(
      new Date(finished.json().actual_start).getTime(),
    );

    const again = await done(h, worker.token, stage.id);
    expect(again.statusCode).toBe(400);
    expect(again.json().error_code).toBe('INVALID_STAGE_TRANSITION');
    expect(again.json().details).toMatchObject({ from: 'done', allowed: [] });
    const restart = await start(h, worker.token, stage.id);
    expect(restart.statusCode).toBe(400);
    expect(restart.json().details).toMatchObject({ from: 'done', to: 'in_progress', allowed: [] });
  });

  it('done on a planned stage → 400, and the stage stays planned', async () => {
    const stage = await myStage();
    const response = await done(h, worker.token, stage.id);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error_code: 'INVALID_STAGE_TRANSITION',
      details: { from: 'planned', to: 'done', action: 'done', allowed: ['start'] },
    });
    expect(await getStage(h, stage.id)).toMatchObject({
      status: 'planned',
      actual_start: null,
      actual_end: null,
    });
  });

  it('accepts a POST with no body and with {}', async () => {
    const stage = await myStage();
    const noBody = await h.request({ method: 'POST', url: `/stages/${stage.id}/start`, token: worker.token });
    expect(noBody.statusCode).toBe(200);
    expect(noBody.json().status).toBe('in_progress');
    const emptyObject = await h.request({
      method: 'POST',
      url: `/stages/${stage.id}/done`,
      token: worker.token,
      payload: {},
    });
    expect(emptyObject.statusCode).toBe(200);
    expect(emptyObject.json().status).toBe('done');

    const other = await myStage();
    const startEmpty = await h.request({
      method: 'POST',
      url: `/stages/${other.id}/start`,
      token: worker.token,
      payload: {},
    });
    expect(startEmpty.statusCode).toBe(200);
    const doneNoBody = await h.request({
      method: 'POST',
      url: `/stages/${other.id}/done`,
      token: worker.token,
    });
    expect(doneNoBody.statusCode).toBe(200);
    expect(doneNoBody.json().status).toBe('done');
  });

  it('refuses unknown body fields (strict) without moving the stage', async () => {
    const stage = await myStage();
    const response = await h.request({
      method: 'POST',
      url: `/stages/${stage.id}/start`,
      token: worker.token,
      payload: { actual_start: minutesAgo(5), status: 'done' },
    });
    expect(response.statusCode).toBe(422);
    expect((await getStage(h, stage.id)).status).toBe('planned');
  });

  it('keeps past times sent after an offline period', async () => {
    const stage = await myStage();
    const startedAt = minutesAgo(95);
    const endedAt = minutesAgo(12);
    const started = await start(h, worker.token, stage.id, startedAt);
    expect(started.statusCode).toBe(200);
    expect(started.json().actual_start).toBe(iso(startedAt));
    const finished = await done(h, worker.token, stage.id, endedAt);
    expect(finished.statusCode).toBe(200);
    expect(finished.json()).toMatchObject({ actual_start: iso(startedAt), actual_end: iso(endedAt) });
  });

  it('refuses a time more than 2 minutes ahead (422 INVALID_TIME) and takes a small clock drift as now', async () => {
    const stage = await myStage();
    const future = await start(h, worker.token, stage.id, minutesAgo(-5));
    expect(future.statusCode).toBe(422);
    expect(future.json().error_code).toBe('INVALID_TIME');
    expect(future.json().errors).toEqual([{ field: 'actual_start', message: expect.any(String) }]);
    expect((await getStage(h, stage.id)).status).toBe('planned');

    const drift = await start(h, worker.token, stage.id, minutesAgo(-1));
    expect(drift.statusCode).toBe(200);
    const stamped = new Date(drift.json().actual_start).getTime();
    expect(stamped).toBeLessThanOrEqual(Date.now());
    expect(stamped).toBeGreaterThan(Date.now() - 10_000);

    const futureEnd = await done(h, worker.token, stage.id, minutesAgo(-3));
    expect(futureEnd.statusCode).toBe(422);
    expect(futureEnd.json().error_code).toBe('INVALID_TIME');
    expect((await getStage(h, stage.id)).status).toBe('in_progress');
  });

  it('refuses actual_end before actual_start (422) and leaves the stage running', async () => {
    const stage = await myStage();
    await start(h, worker.token, stage.id, minutesAgo(30));
    const backwards = await done(h, worker.token, stage.id, minutesAgo(31));
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json()).toMatchObject({
      error_code: 'INVALID_TIME',
      errors: [{ field: 'actual_end' }],
    });
    expect(await getStage(h, stage.id)).toMatchObject({ status: 'in_progress', actual_end: null });
  });

  it('refuses a malformed time with 422', async () => {
    const stage = await myStage();
    const response = await start(h, worker.token, stage.id, 'yesterday at noon');
    expect(response.statusCode).toBe(422);
    expect(response.json().error_code).toBe('VALIDATION_FAILED');
    expect((await getStage(h, stage.id)).status).toBe('planned');
  });

  it('two starts at the same moment: one wins, the other gets INVALID_STAGE_TRANSITION', async () => {
    const stage = await myStage();
    const both = await Promise.all([start(h, worker.token, stage.id), start(h, worker.token, stage.id)]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 400]);
    expect(both.find((r) => r.statusCode === 400)!.json().error_code).toBe('INVALID_STAGE_TRANSITION');
    const winner = both.find((r) => r.statusCode === 200)!.json();
    expect((await getStage(h, stage.id)).actual_start).toBe(winner.actual_start);
  });

  it('records the moves in the audit log, attributed to the worker', async () => {
    const stage = await myStage();
    await start(h, worker.token, stage.id);
    await done(h, worker.token, stage.id);
    const audit = await h.request({
      method: 'GET',
      url: `/audit?entity=work_order_stage&entity_id=${stage.id}`,
      token: h.adminToken,
    });
    expect(audit.statusCode).toBe(200);
    const actions = audit
      .json()
      .items.map((a: { action: string; actor_username: string }) => [a.action, a.actor_username]);
    expect(actions).toEqual(
      expect.arrayContaining([
        ['start', worker.username],
        ['finish', worker.username],
      ]),
    );
  });

  it('answers 404 STAGE_NOT_FOUND for a stage that does not exist', async () => {
    const response = await start(h, worker.token, 987654);
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('STAGE_NOT_FOUND');
  });
});

describe('/workorders paths', () => {
  it('answer with and without the trailing slash', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id });
    const withSlash = await h.request({ method: 'GET', url: '/workorders/', token: h.adminToken });
    const withoutSlash = await h.request({ method: 'GET', url: '/workorders', token: h.adminToken });
    expect(withSlash.statusCode).toBe(200);
    expect(withoutSlash.statusCode).toBe(200);
    expect(withSlash.json().map((o: { id: number }) => o.id)).toContain(order.id);
    expect(withoutSlash.json()).toEqual(withSlash.json());

    const created = await h.request({
      method: 'POST',
      url: '/workorders',
      token: h.adminToken,
      payload: {
        site_id: site.id,
        product_code: 'NO-SLASH',
        lot_no: 'L1',
        qty: 3,
        planned_start: minutesAgo(60),
        planned_end: minutesAgo(0),
      },
    });
    expect(created.statusCode).toBe(201);
    const one = await h.request({
      method: 'GET',
      url: `/workorders/${created.json().id}/`,
      token: h.adminToken,
    });
    expect(one.statusCode).toBe(200);
    expect(one.json().product_code).toBe('NO-SLASH');
  });
});

describe('the work order follows its stages', () => {
  it('planned → in_progress → done, with the first actual start and the last actual end', async () => {
    const { order, stages } = await workOrderWithStages(h, site.id, ['cut', 'weld', 'pack']);
    expect(order).toMatchObject({ status: 'planned', actual_start: null, actual_end: null, stage_count: 3 });
    const [cut, weld, pack] = stages as [Stage, Stage, Stage];

    const cutStart = minutesAgo(300);
    await runStage(h, cut.id, cutStart, minutesAgo(240));
    let current = await getWorkOrder(h, order.id);
    // One of three stages done: running, started when the first stage started, not finished.
    expect(current).toMatchObject({
      status: 'in_progress',
      actual_start: iso(cutStart),
      actual_end: null,
      stages_done: 1,
    });

    // The second stage started before the first in wall-clock time: the order's start moves back.
    const weldStart = minutesAgo(320);
    await runStage(h, weld.id, weldStart, minutesAgo(200));
    current = await getWorkOrder(h, order.id);
    expect(current).toMatchObject({ status: 'in_progress', actual_start: iso(weldStart), actual_end: null });

    const packStarted = await runStage(h, pack.id, minutesAgo(150), null);
    current = await getWorkOrder(h, order.id);
    expect(current).toMatchObject({ status: 'in_progress', actual_end: null, stages_done: 2 });
    expect(packStarted.status).toBe('in_progress');

    const packEnd = minutesAgo(100);
    expect((await done(h, h.adminToken, pack.id, packEnd)).statusCode).toBe(200);
    current = await getWorkOrder(h, order.id);
    expect(current).toMatchObject({
      status: 'done',
      actual_start: iso(weldStart),
      actual_end: iso(packEnd),
      stages_done: 3,
    });
  });

  it('is in_progress as soon as any stage starts, even a later one', async () => {
    const { order, stages } = await workOrderWithStages(h, site.id, ['a', 'b']);
    const at = minutesAgo(50);
    await runStage(h, stages[1]!.id, at, null);
    expect(await getWorkOrder(h, order.id)).toMatchObject({
      status: 'in_progress',
      actual_start: iso(at),
      actual_end: null,
      stages_done: 0,
    });
  });
});

describe('/stages/mine', () => {
  it('returns the worker’s stages for today: today’s, overdue and running ones; not others’ or other days’', async () => {
    const zone = site.time_zone;
    const today = DateTime.now().setZone(zone).startOf('day');
    const tomorrow = today.plus({ days: 1 });
    const yesterday = today.minus({ days: 1 });
    const at = (day: DateTime, hours: number) => day.plus({ hours }).toUTC().toISO()!;

    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: at(yesterday, 1),
      planned_end: at(tomorrow, 23),
      stages: [
        // 0: planned across now → today
        { stage_name: 'now', planned_start: minutesAgo(30), planned_end: minutesAgo(-30) },
        // 1: tomorrow only → not today
        { stage_name: 'tomorrow', planned_start: at(tomorrow, 2), planned_end: at(tomorrow, 3) },
        // 2: planned yesterday, never started → overdue, still on today’s list
        { stage_name: 'overdue', planned_start: at(yesterday, 2), planned_end: at(yesterday, 3) },
        // 3: planned and finished yesterday → not today
        { stage_name: 'finished-yesterday', planned_start: at(yesterday, 4), planned_end: at(yesterday, 5) },
        // 4: planned yesterday, still running → today
        { stage_name: 'running', planned_start: at(yesterday, 6), planned_end: at(yesterday, 7) },
        // 5: planned now but assigned to somebody else
        { stage_name: 'not-mine', planned_start: minutesAgo(30), planned_end: minutesAgo(-30) },
      ],
    });
    const stages = await stagesOf(h, order.id);
    const colleague = await buildUser(h, { role: 'worker', site_ids: [site.id] });
    for (const stage of stages.slice(0, 5)) await assign(h, stage.id, worker.id);
    await assign(h, stages[5]!.id, colleague.id);
    await runStage(h, stages[3]!.id, at(yesterday, 4), at(yesterday, 5));
    await runStage(h, stages[4]!.id, at(yesterday, 6), null);

    const mine = await h.request({ method: 'GET', url: '/stages/mine', token: worker.token });
    expect(mine.statusCode).toBe(200);
    const names = (mine.json() as Stage[])
      .filter((s) => s.work_order_id === order.id)
      .map((s) => s.stage_name);
    expect(names.sort()).toEqual(['now', 'overdue', 'running']);

    const tomorrowList = await h.request({
      method: 'GET',
      url: `/stages/mine?date=${tomorrow.toISODate()}`,
      token: worker.token,
    });
    const tomorrowNames = (tomorrowList.json() as Stage[])
      .filter((s) => s.work_order_id === order.id)
      .map((s) => s.stage_name);
    expect(tomorrowNames).toContain('tomorrow');
    expect(tomorrowNames).not.toContain('finished-yesterday');
    expect(tomorrowNames).not.toContain('not-mine');

    const yesterdayList = await h.request({
      method: 'GET',
      url: `/stages/mine?date=${yesterday.toISODate()}`,
      token: worker.token,
    });
    const yesterdayNames = (yesterdayList.json() as Stage[])
      .filter((s) => s.work_order_id === order.id)
      .map((s) => s.stage_name);
    expect(yesterdayNames).toContain('finished-yesterday');
    expect(yesterdayNames).not.toContain('tomorrow');

    const colleagueList = (
      await h.request({ method: 'GET', url: '/stages/mine', token: colleague.token })
    ).json() as Stage[];
    expect(colleagueList.map((s) => s.stage_name)).toEqual(['not-mine']);
  });

  it('refuses a malformed date and people who do not work stages', async () => {
    const bad = await h.request({ method: 'GET', url: '/stages/mine?date=31.03.2026', token: worker.token });
    expect(bad.statusCode).toBe(422);
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
    const forbidden = await h.request({ method: 'GET', url: '/stages/mine', token: viewer.token });
    expect(forbidden.statusCode).toBe(403);
  });
});
