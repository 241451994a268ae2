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
  buildWorkOrder,
  errorCode,
  getWorkOrder,
  iso,
  minutesAgo,
  postWorkOrder,
  runStage,
  stagesOf,
  uniqueLot,
  type Stage,
  type WorkOrder,
} from './production.fixtures.ts';

let h: Harness;
let site: SiteRecord;
let otherSite: SiteRecord;
let line: LineRecord;
let otherLine: LineRecord;
let planner: UserRecord;

const START = '2026-03-02T08:00:00.000Z';
const END = '2026-03-02T18:00:00.000Z';

function valid(overrides: Record<string, unknown> = {}) {
  return {
    site_id: site.id,
    product_code: 'GEAR-10',
    lot_no: uniqueLot(),
    qty: 250,
    planned_start: START,
    planned_end: END,
    ...overrides,
  };
}

async function allIds(): Promise<number[]> {
  const response = await h.request({ method: 'GET', url: '/workorders/?limit=500', token: h.adminToken });
  return (response.json() as WorkOrder[]).map((order) => order.id).sort((a, b) => a - b);
}

const windows = (stages: Stage[]) =>
  stages.map((stage) => [stage.stage_name, stage.planned_start, stage.planned_end]);

beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  [line, otherLine] = await Promise.all([buildLine(h, site.id), buildLine(h, otherSite.id)]);
  planner = await buildUser(h, { role: 'planner', site_ids: [site.id] });
});
afterAll(() => h.close());

describe('creating a work order', () => {
  it('stores what was sent and answers the order, planned, with its stage count', async () => {
    const payload = valid({ line_id: line.id, notes: 'Rush order' });
    const response = await postWorkOrder(h, planner.token, payload);
    expect(response.statusCode).toBe(201);
    const order = response.json();
    expect(order).toMatchObject({
      site_id: site.id,
      line_id: line.id,
      line_code: line.code,
      product_code: 'GEAR-10',
      lot_no: payload.lot_no,
      qty: 250,
      planned_start: START,
      planned_end: END,
      actual_start: null,
      actual_end: null,
      status: 'planned',
      stage_count: 5,
      stages_done: 0,
      open_issues: 0,
      notes: 'Rush order',
      created_by: planner.id,
    });
    expect(await getWorkOrder(h, order.id)).toMatchObject({ id: order.id, lot_no: payload.lot_no });
  });

  it.each([
    ['qty 0', { qty: 0 }, 'body.qty'],
    ['negative qty', { qty: -5 }, 'body.qty'],
    ['fractional qty', { qty: 2.5 }, 'body.qty'],
    ['planned_end equal to planned_start', { planned_end: START }, 'body.planned_end'],
    ['planned_end before planned_start', { planned_end: '2026-03-02T07:00:00Z' }, 'body.planned_end'],
    ['a malformed planned_start', { planned_start: 'next monday' }, 'body.planned_start'],
    ['a product code with spaces', { product_code: 'GEAR 10' }, 'body.product_code'],
    ['an empty lot', { lot_no: '  ' }, 'body.lot_no'],
  ])('refuses %s with 422 naming the field, and stores nothing', async (_name, overrides, field) => {
    const before = await allIds();
    const response = await postWorkOrder(h, planner.token, valid(overrides));
    expect(response.statusCode).toBe(422);
    expect(response.json().error_code).toBe('VALIDATION_FAILED');
    expect(response.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await allIds()).toEqual(before);
  });

  it('refuses an unknown line and a line of another site (422 UNKNOWN_LINE), storing nothing', async () => {
    const before = await allIds();
    const unknown = await postWorkOrder(h, h.adminToken, valid({ line_id: 987654 }));
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ error_code: 'UNKNOWN_LINE', errors: [{ field: 'line_id' }] });

    const foreign = await postWorkOrder(h, h.adminToken, valid({ line_id: otherLine.id }));
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json()).toMatchObject({ error_code: 'UNKNOWN_LINE', errors: [{ field: 'line_id' }] });

    // A planner of site A does not even see site B's line.
    const hidden = await postWorkOrder(h, planner.token, valid({ line_id: otherLine.id }));
    expect(hidden.statusCode).toBe(422);
    expect(hidden.json().error_code).toBe('UNKNOWN_LINE');
    expect(await allIds()).toEqual(before);
  });

  it('refuses a second order for the same product and lot (409 DUPLICATE_LOT, case-insensitive)', async () => {
    const lot = uniqueLot('dup');
    const first = await postWorkOrder(h, planner.token, valid({ lot_no: lot }));
    expect(first.statusCode).toBe(201);
    const before = await allIds();
    const again = await postWorkOrder(
      h,
      planner.token,
      valid({ lot_no: lot.toUpperCase(), product_code: 'gear-10' }),
    );
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error_code: 'DUPLICATE_LOT', errors: [{ field: 'lot_no' }] });
    expect(again.json().message).toContain(String(first.json().id));
    expect(await allIds()).toEqual(before);

    // The same lot of another product, or on another site, is a different order.
    expect(
      (await postWorkOrder(h, planner.token, valid({ lot_no: lot, product_code: 'OTHER-1' }))).statusCode,
    ).toBe(201);
    expect(
      (await postWorkOrder(h, h.adminToken, valid({ lot_no: lot, site_id: otherSite.id }))).statusCode,
    ).toBe(201);
  });

  it('needs site_id from a member of several sites (422 SITE_REQUIRED); a line or a single site is enough', async () => {
    const twoSites = await buildUser(h, { role: 'planner', site_ids: [site.id, otherSite.id] });
    const { site_id: _omitted, ...withoutSite } = valid();
    const before = await allIds();
    const missing = await postWorkOrder(h, twoSites.token, withoutSite);
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({ error_code: 'SITE_REQUIRED', errors: [{ field: 'site_id' }] });
    expect(await allIds()).toEqual(before);

    const byLine = await postWorkOrder(h, twoSites.token, { ...withoutSite, line_id: otherLine.id });
    expect(byLine.statusCode).toBe(201);
    expect(byLine.json().site_id).toBe(otherSite.id);

    const single = await postWorkOrder(h, planner.token, { ...valid(), site_id: undefined });
    expect(single.statusCode).toBe(201);
    expect(single.json().site_id).toBe(site.id);
  });

  it('refuses a site the planner is not a member of (403)', async () => {
    const before = await allIds();
    const response = await postWorkOrder(h, planner.token, valid({ site_id: otherSite.id }));
    expect(response.statusCode).toBe(403);
    expect(await allIds()).toEqual(before);
  });
});

describe('stages of a new work order', () => {
  it('come from the built-in route: five stages spread evenly over the order’s window', async () => {
    const fresh = await buildSite(h);
    const order = await buildWorkOrder(h, { site_id: fresh.id, planned_start: START, planned_end: END });
    const stages = await stagesOf(h, order.id);
    expect(stages.map((s) => s.position)).toEqual([1, 2, 3, 4, 5]);
    expect(stages.every((s) => s.status === 'planned' && s.machine_id === null)).toBe(true);
    // 10 hours / 5 stages = 2 hours each.
    expect(windows(stages)).toEqual([
      ['moulding', '2026-03-02T08:00:00.000Z', '2026-03-02T10:00:00.000Z'],
      ['deburring', '2026-03-02T10:00:00.000Z', '2026-03-02T12:00:00.000Z'],
      ['assembly', '2026-03-02T12:00:00.000Z', '2026-03-02T14:00:00.000Z'],
      ['testing', '2026-03-02T14:00:00.000Z', '2026-03-02T16:00:00.000Z'],
      ['packing', '2026-03-02T16:00:00.000Z', '2026-03-02T18:00:00.000Z'],
    ]);
  });

  it('spread an uneven window in whole seconds, the last stage ending exactly at the order’s end', async () => {
    const order = await buildWorkOrder(h, {
      site_id: (await buildSite(h)).id,
      planned_start: '2026-03-02T08:00:00.000Z',
      planned_end: '2026-03-02T08:00:07.000Z',
    });
    // Cumulative ends at round(7 s × k / 5): 1.4 → 1, 2.8 → 3, 4.2 → 4, 5.6 → 6, then 7.
    expect((await stagesOf(h, order.id)).map((s) => [s.planned_start, s.planned_end])).toEqual([
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:00:01.000Z'],
      ['2026-03-02T08:00:01.000Z', '2026-03-02T08:00:03.000Z'],
      ['2026-03-02T08:00:03.000Z', '2026-03-02T08:00:04.000Z'],
      ['2026-03-02T08:00:04.000Z', '2026-03-02T08:00:06.000Z'],
      ['2026-03-02T08:00:06.000Z', '2026-03-02T08:00:07.000Z'],
    ]);
  });

  it('come from the product’s saved route, in proportion to the weights; other products use the site default', async () => {
    const routed = await buildSite(h);
    const product = await h.request({
      method: 'PUT',
      url: '/production/routes',
      token: h.adminToken,
      payload: {
        site_id: routed.id,
        product_code: 'VALVE-7',
        name: 'Valve',
        steps: [
          { stage_name: 'cut', weight: 1 },
          { stage_name: 'weld', weight: 2 },
          { stage_name: 'paint', weight: 1 },
        ],
      },
    });
    expect(product.statusCode).toBe(200);
    expect(product.json()).toMatchObject({ product_code: 'VALVE-7', built_in: false });
    const siteDefault = await h.request({
      method: 'PUT',
      url: '/production/routes',
      token: h.adminToken,
      payload: {
        site_id: routed.id,
        name: 'Default',
        steps: [{ stage_name: 'make', weight: 3 }, { stage_name: 'ship' }],
      },
    });
    expect(siteDefault.statusCode).toBe(200);
    expect(siteDefault.json().steps).toEqual([
      { stage_name: 'make', weight: 3 },
      { stage_name: 'ship', weight: 1 },
    ]);

    // 4 hours, weights 1:2:1 → 1 h, 2 h, 1 h. The product code matches case-insensitively.
    const valve = await buildWorkOrder(h, {
      site_id: routed.id,
      product_code: 'valve-7',
      planned_start: '2026-03-03T08:00:00Z',
      planned_end: '2026-03-03T12:00:00Z',
    });
    expect(windows(await stagesOf(h, valve.id))).toEqual([
      ['cut', '2026-03-03T08:00:00.000Z', '2026-03-03T09:00:00.000Z'],
      ['weld', '2026-03-03T09:00:00.000Z', '2026-03-03T11:00:00.000Z'],
      ['paint', '2026-03-03T11:00:00.000Z', '2026-03-03T12:00:00.000Z'],
    ]);

    // Another product: the site's default, weights 3:1 over 4 hours → 3 h and 1 h.
    const other = await buildWorkOrder(h, {
      site_id: routed.id,
      product_code: 'PUMP-1',
      planned_start: '2026-03-03T08:00:00Z',
      planned_end: '2026-03-03T12:00:00Z',
    });
    expect(windows(await stagesOf(h, other.id))).toEqual([
      ['make', '2026-03-03T08:00:00.000Z', '2026-03-03T11:00:00.000Z'],
      ['ship', '2026-03-03T11:00:00.000Z', '2026-03-03T12:00:00.000Z'],
    ]);
  });

  it('can be given explicitly: missing windows are spread evenly, given ones kept, machines checked', async () => {
    const machine = await buildMachine(h, line.id);
    const order = await buildWorkOrder(h, {
      site_id: site.id,
      planned_start: '2026-03-04T06:00:00Z',
      planned_end: '2026-03-04T12:00:00Z',
      stages: [
        { stage_name: 'prepare', machine_id: machine.id },
        { stage_name: 'run', planned_start: '2026-03-04T07:30:00Z', planned_end: '2026-03-04T11:00:00Z' },
        { stage_name: 'inspect' },
      ],
    });
    expect(order.stage_count).toBe(3);
    const stages = await stagesOf(h, order.id);
    expect(windows(stages)).toEqual([
      ['prepare', '2026-03-04T06:00:00.000Z', '2026-03-04T08:00:00.000Z'],
      ['run', '2026-03-04T07:30:00.000Z', '2026-03-04T11:00:00.000Z'],
      ['inspect', '2026-03-04T10:00:00.000Z', '2026-03-04T12:00:00.000Z'],
    ]);
    expect(stages[0]).toMatchObject({ machine_id: machine.id });

    // A machine of another site rolls the whole order back.
    const foreign = await buildMachine(h, otherLine.id);
    const before = await allIds();
    const refused = await postWorkOrder(
      h,
      h.adminToken,
      valid({ stages: [{ stage_name: 'a' }, { stage_name: 'b', machine_id: foreign.id }] }),
    );
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({
      error_code: 'UNKNOWN_MACHINE',
      errors: [{ field: 'stages.1.machine_id' }],
    });
    expect(await allIds()).toEqual(before);
  });

  it('refuses a given stage window that runs backwards (422), storing nothing', async () => {
    const before = await allIds();
    const backwards = await postWorkOrder(
      h,
      h.adminToken,
      valid({
        stages: [
          { stage_name: 'a', planned_start: '2026-03-02T12:00:00Z', planned_end: '2026-03-02T11:00:00Z' },
        ],
      }),
    );
    expect(backwards.statusCode).toBe(422);
    // Only a start, after the order's end: the spread end (18:00) would come before it.
    const startOnly = await postWorkOrder(
      h,
      h.adminToken,
      valid({ stages: [{ stage_name: 'a', planned_start: '2026-03-02T19:00:00Z' }] }),
    );
    expect(startOnly.statusCode).toBe(422);
    expect(await allIds()).toEqual(before);
  });

  it('refuses an empty stage list and a stage without a name', async () => {
    const before = await allIds();
    expect((await postWorkOrder(h, planner.token, valid({ stages: [] }))).statusCode).toBe(422);
    expect((await postWorkOrder(h, planner.token, valid({ stages: [{ stage_name: '' }] }))).statusCode).toBe(
      422,
    );
    expect(await allIds()).toEqual(before);
  });
});

describe('routes', () => {
  it('a site without its own default shows the built-in route; once saved, its own', async () => {
    const fresh = await buildSite(h);
    const builtIn = await h.request({
      method: 'GET',
      url: `/production/routes?site_id=${fresh.id}`,
      token: h.adminToken,
    });
    expect(builtIn.statusCode).toBe(200);
    expect(builtIn.json()).toEqual([
      expect.objectContaining({
        id: null,
        site_id: fresh.id,
        built_in: true,
        product_code: null,
        steps: ['moulding', 'deburring', 'assembly', 'testing', 'packing'].map((stage_name) => ({
          stage_name,
          weight: 1,
        })),
      }),
    ]);
    await h.request({
      method: 'PUT',
      url: '/production/routes',
      token: h.adminToken,
      payload: { site_id: fresh.id, name: 'Own', steps: [{ stage_name: 'only' }] },
    });
    const own = (
      await h.request({ method: 'GET', url: `/production/routes?site_id=${fresh.id}`, token: h.adminToken })
    ).json();
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({
      built_in: false,
      name: 'Own',
      steps: [{ stage_name: 'only', weight: 1 }],
    });
  });

  it('refuses duplicate stage names and an empty route', async () => {
    const duplicate = await h.request({
      method: 'PUT',
      url: '/production/routes',
      token: h.adminToken,
      payload: { site_id: site.id, name: 'R', steps: [{ stage_name: 'Cut' }, { stage_name: 'cut' }] },
    });
    expect(duplicate.statusCode).toBe(422);
    const empty = await h.request({
      method: 'PUT',
      url: '/production/routes',
      token: h.adminToken,
      payload: { site_id: site.id, name: 'R', steps: [] },
    });
    expect(empty.statusCode).toBe(422);
  });
});

describe('editing a work order', () => {
  it('moving the order moves its stage windows by the same amount', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const response = await h.request({
      method: 'PATCH',
      url: `/workorders/${order.id}`,
      token: planner.token,
      payload: { planned_start: '2026-03-02T09:30:00Z', planned_end: '2026-03-02T19:30:00Z', qty: 300 },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      planned_start: '2026-03-02T09:30:00.000Z',
      planned_end: '2026-03-02T19:30:00.000Z',
      qty: 300,
    });
    expect(windows(await stagesOf(h, order.id))).toEqual([
      ['moulding', '2026-03-02T09:30:00.000Z', '2026-03-02T11:30:00.000Z'],
      ['deburring', '2026-03-02T11:30:00.000Z', '2026-03-02T13:30:00.000Z'],
      ['assembly', '2026-03-02T13:30:00.000Z', '2026-03-02T15:30:00.000Z'],
      ['testing', '2026-03-02T15:30:00.000Z', '2026-03-02T17:30:00.000Z'],
      ['packing', '2026-03-02T17:30:00.000Z', '2026-03-02T19:30:00.000Z'],
    ]);
  });

  it('moving only planned_start earlier stretches the stages over the new window proportionally', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const response = await h.request({
      method: 'PATCH',
      url: `/workorders/${order.id}`,
      token: planner.token,
      payload: { planned_start: '2026-03-02T07:00:00Z' },
    });
    expect(response.statusCode).toBe(200);
    // 08:00–18:00 (10 h) becomes 07:00–18:00 (11 h): each 2-hour stage becomes 2 h 12 min.
    expect(windows(await stagesOf(h, order.id))).toEqual([
      ['moulding', '2026-03-02T07:00:00.000Z', '2026-03-02T09:12:00.000Z'],
      ['deburring', '2026-03-02T09:12:00.000Z', '2026-03-02T11:24:00.000Z'],
      ['assembly', '2026-03-02T11:24:00.000Z', '2026-03-02T13:36:00.000Z'],
      ['testing', '2026-03-02T13:36:00.000Z', '2026-03-02T15:48:00.000Z'],
      ['packing', '2026-03-02T15:48:00.000Z', '2026-03-02T18:00:00.000Z'],
    ]);
  });

  it('changing other fields leaves the stage windows alone', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const before = windows(await stagesOf(h, order.id));
    const response = await h.request({
      method: 'PATCH',
      url: `/workorders/${order.id}`,
      token: planner.token,
      payload: { notes: 'moved to line 2', line_id: line.id },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ notes: 'moved to line 2', line_id: line.id });
    expect(windows(await stagesOf(h, order.id))).toEqual(before);
  });

  it('refuses an end before the start, a duplicate lot, a foreign line and unknown fields, changing nothing', async () => {
    const taken = await buildWorkOrder(h, { site_id: site.id });
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const stagesBefore = windows(await stagesOf(h, order.id));
    const patch = (payload: Record<string, unknown>) =>
      h.request({ method: 'PATCH', url: `/workorders/${order.id}`, token: planner.token, payload });

    const backwards = await patch({ planned_start: '2026-03-02T19:00:00Z' });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json()).toMatchObject({
      error_code: 'INVALID_PLANNED_WINDOW',
      errors: [{ field: 'planned_end' }],
    });
    const duplicate = await patch({ lot_no: taken.lot_no, product_code: taken.product_code });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().error_code).toBe('DUPLICATE_LOT');
    const foreign = await h.request({
      method: 'PATCH',
      url: `/workorders/${order.id}`,
      token: h.adminToken,
      payload: { line_id: otherLine.id },
    });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error_code).toBe('UNKNOWN_LINE');
    const unknownField = await patch({ status: 'done' });
    expect(unknownField.statusCode).toBe(422);
    const zero = await patch({ qty: 0 });
    expect(zero.statusCode).toBe(422);

    expect(await getWorkOrder(h, order.id)).toMatchObject({
      planned_start: START,
      planned_end: END,
      lot_no: order.lot_no,
      line_id: null,
      status: 'planned',
      qty: order.qty,
    });
    expect(windows(await stagesOf(h, order.id))).toEqual(stagesBefore);
  });

  it('answers 404 WORK_ORDER_NOT_FOUND for an order that does not exist', async () => {
    const response = await h.request({
      method: 'PATCH',
      url: '/workorders/987654',
      token: planner.token,
      payload: { qty: 2 },
    });
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('WORK_ORDER_NOT_FOUND');
  });

  it('PATCH /stages/:id edits a stage’s window and machine; an end before its start is refused', async () => {
    const machine = await buildMachine(h, line.id);
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const [first] = await stagesOf(h, order.id);
    const edited = await h.request({
      method: 'PATCH',
      url: `/stages/${first!.id}`,
      token: planner.token,
      payload: { stage_name: 'injection', machine_id: machine.id, planned_end: '2026-03-02T09:00:00Z' },
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({
      stage_name: 'injection',
      machine_id: machine.id,
      machine_code: machine.code,
      planned_start: START,
      planned_end: '2026-03-02T09:00:00.000Z',
    });
    const backwards = await h.request({
      method: 'PATCH',
      url: `/stages/${first!.id}`,
      token: planner.token,
      payload: { planned_end: '2026-03-02T07:00:00Z' },
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().error_code).toBe('INVALID_PLANNED_WINDOW');
  });
});

describe('deleting a work order', () => {
  it('204 before any stage started; the order and its stages are gone', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id });
    const [stage] = await stagesOf(h, order.id);
    const response = await h.request({
      method: 'DELETE',
      url: `/workorders/${order.id}`,
      token: planner.token,
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const gone = await h.request({ method: 'GET', url: `/workorders/${order.id}`, token: planner.token });
    expect(gone.statusCode).toBe(404);
    expect(errorCode(gone)).toBe('WORK_ORDER_NOT_FOUND');
    const stageGone = await h.request({ method: 'GET', url: `/stages/${stage!.id}`, token: planner.token });
    expect(stageGone.statusCode).toBe(404);
    expect(await allIds()).not.toContain(order.id);
  });

  it('409 WORK_ORDER_STARTED once a stage started; the order stays', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id });
    const [stage] = await stagesOf(h, order.id);
    await runStage(h, stage!.id, minutesAgo(10), null);
    const response = await h.request({
      method: 'DELETE',
      url: `/workorders/${order.id}`,
      token: planner.token,
    });
    expect(response.statusCode).toBe(409);
    expect(errorCode(response)).toBe('WORK_ORDER_STARTED');
    expect((await getWorkOrder(h, order.id)).status).toBe('in_progress');
  });

  it('404 for an order that does not exist', async () => {
    const response = await h.request({ method: 'DELETE', url: '/workorders/987654', token: planner.token });
    expect(response.statusCode).toBe(404);
  });
});

describe('listing work orders', () => {
  it('latest planned start first, filtered by status, product, text and window, paged with X-Next-Cursor', async () => {
    const listSite = await buildSite(h);
    const product = `LIST-${uniqueLot('P')}`;
    const made: WorkOrder[] = [];
    for (let day = 1; day <= 5; day += 1) {
      made.push(
        await buildWorkOrder(h, {
          site_id: listSite.id,
          product_code: product,
          lot_no: `L-${day}`,
          planned_start: `2026-04-0${day}T08:00:00Z`,
          planned_end: `2026-04-0${day}T16:00:00Z`,
        }),
      );
    }
    const [first] = await stagesOf(h, made[0]!.id);
    await runStage(h, first!.id, minutesAgo(20), null);
    const list = async (query: string) => {
      const response = await h.request({
        method: 'GET',
        url: `/workorders/?site_id=${listSite.id}&${query}`,
        token: h.adminToken,
      });
      expect(response.statusCode).toBe(200);
      return {
        ids: (response.json() as WorkOrder[]).map((o) => o.id),
        next: response.headers['x-next-cursor'],
      };
    };
    const ids = made.map((o) => o.id);

    expect((await list('')).ids).toEqual([...ids].reverse());
    expect((await list('status=in_progress')).ids).toEqual([ids[0]]);
    expect((await list('status=planned')).ids).toEqual([ids[4], ids[3], ids[2], ids[1]]);
    expect((await list(`product_code=${product.toLowerCase()}`)).ids).toHaveLength(5);
    expect((await list('q=l-3')).ids).toEqual([ids[2]]);
    // Windows overlapping [Apr 2 12:00, Apr 4 09:00): orders 2, 3 and 4.
    expect((await list('from=2026-04-02T12:00:00Z&to=2026-04-04T09:00:00Z')).ids).toEqual([
      ids[3],
      ids[2],
      ids[1],
    ]);

    const page1 = await list('limit=2');
    expect(page1.ids).toEqual([ids[4], ids[3]]);
    expect(typeof page1.next).toBe('string');
    const page2 = await list(`limit=2&cursor=${encodeURIComponent(String(page1.next))}`);
    expect(page2.ids).toEqual([ids[2], ids[1]]);
    const page3 = await list(`limit=2&cursor=${encodeURIComponent(String(page2.next))}`);
    expect(page3.ids).toEqual([ids[0]]);
    expect(page3.next).toBeUndefined();
  });

  it('refuses a malformed cursor and an unknown status with 422', async () => {
    const badCursor = await h.request({
      method: 'GET',
      url: '/workorders/?cursor=not-a-cursor',
      token: h.adminToken,
    });
    expect(badCursor.statusCode).toBe(422);
    const badStatus = await h.request({
      method: 'GET',
      url: '/workorders/?status=cancelled',
      token: h.adminToken,
    });
    expect(badStatus.statusCode).toBe(422);
  });

  it('answers iso dates for the stages of an order the API created', async () => {
    const order = await buildWorkOrder(h, { site_id: site.id, planned_start: START, planned_end: END });
    const stages = await stagesOf(h, order.id);
    expect(stages[0]!.planned_start).toBe(iso(START));
    expect(stages.at(-1)!.planned_end).toBe(iso(END));
  });
});
