import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { gqlCode, gqlData, restShape } from '../../../../test/graphql.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { MachineState } from '../../telemetry/index.ts';

/**
 * The unexplained-stops queue over GraphQL (unexplained.graphql.ts) against its REST twins: the same
 * queue pages, explain and split giving twin stops the same result through either door, the same
 * refusals (nothing stored), another site's stops invisible, and a reason corrected with
 * `updateDowntime` (PATCH /downtimes/{id}).
 */
let h: Harness;
let siteA: number;
let lineA: number;
let operatorA: UserRecord;
let viewerA: UserRecord;
let operatorB: UserRecord;
let reasons: Record<string, number>;

const base = Date.parse('2026-03-02T00:00:00Z');
const at = (minutes: number, seconds = 0) => new Date(base + minutes * 60_000 + seconds * 1000);

const STOP = `id siteId machineId machineCode machineName lineId startDatetime endDatetime durationSeconds
  open cause planned comment splitFromId`;
const QUEUE = `query Queue($filter: UnexplainedStopFilter, $first: Int, $after: String) {
  unexplainedStops(filter: $filter, first: $first, after: $after) { items { ${STOP} } nextCursor }
}`;
const DOWNTIME = `id siteId machineId startDatetime endDatetime durationSeconds planned reasonId reasonCode
  reasonName comment source reportedBy repairIds`;
const EXPLAIN = `mutation Explain($id: ID!, $reasonId: ID!, $comment: String) {
  explainStop(id: $id, reasonId: $reasonId, comment: $comment) { ${DOWNTIME} }
}`;
const SPLIT = `mutation Split($id: ID!, $parts: [StopPartInput!]!) {
  splitStop(id: $id, parts: $parts) { ${DOWNTIME} }
}`;
const CORRECT = `mutation Correct($id: ID!, $reasonId: ID) {
  updateDowntime(id: $id, input: { reasonId: $reasonId }) { id reasonId reasonCode }
}`;

const state = (machine: MachineRecord, value: MachineState, when: Date) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    h.server.modules.telemetry.signals.recordState(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      state: value,
      raw_value: value,
      source: 'opcua',
      at: when,
    }),
  );

/** A closed automatic stop of a new machine: stopped at `minute` for `seconds`. */
async function stop(minute: number, seconds: number, lineId = lineA) {
  const machine = await buildMachine(h, lineId);
  await state(machine, 'stopped', at(minute));
  await state(machine, 'running', new Date(at(minute).getTime() + seconds * 1000));
  const [row] = (await rest(`/downtimes?machine_id=${machine.id}`)).items as { id: number }[];
  if (!row) throw new Error('no automatic stop');
  return { machine, id: row.id };
}

async function rest(url: string, token = h.adminToken) {
  const response = await h.request({ method: 'GET', url, token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const post = (url: string, payload: object, token = operatorA.token) =>
  h.request({ method: 'POST', url, token, payload });

/** The REST downtime without what differs between twin stops (ids, machine, when written). */
const twin = ({
  id: _i,
  machine_id: _m,
  machine_code: _c,
  line_id: _l,
  created_at: _a,
  updated_at: _u,
  ...rest
}: Record<string, unknown>) => rest;
const restDowntime = async (id: number) => rest(`/downtimes/${id}`);

beforeAll(async () => {
  h = await createHarness();
  const [a, b] = await Promise.all([buildSite(h, { time_zone: 'UTC' }), buildSite(h, { time_zone: 'UTC' })]);
  siteA = a.id;
  lineA = (await buildLine(h, siteA)).id;
  await buildLine(h, b.id);
  operatorA = await buildUser(h, { role: 'operator', site_ids: [siteA] });
  viewerA = await buildUser(h, { role: 'viewer', site_ids: [siteA] });
  operatorB = await buildUser(h, { role: 'operator', site_ids: [b.id] });
  const list = await rest('/catalog/downtime-reasons', operatorA.token);
  reasons = Object.fromEntries(list.map((r: { code: string; id: number }) => [r.code, r.id]));
});
afterAll(() => h.close());

describe('unexplainedStops', () => {
  it('pages the same queue as GET /downtimes/unexplained, cursor for cursor', async () => {
    await stop(100, 300);
    await stop(110, 200);
    await stop(120, 400);
    const restPage1 = await rest(`/downtimes/unexplained?site_id=${siteA}&limit=2`, viewerA.token);
    const page1 = await gqlData<{ unexplainedStops: { nextCursor: string } }>(h, viewerA.token, QUEUE, {
      filter: { siteId: String(siteA) },
      first: 2,
    });
    expect(restShape(page1.unexplainedStops, ['cause'])).toEqual(restPage1);
    expect(restPage1.items).toHaveLength(2);
    expect(restPage1.items[0]).toMatchObject({ cause: 'stopped', duration_seconds: 400, open: false });
    const cursor = page1.unexplainedStops.nextCursor;
    expect(cursor).toBeTruthy();
    const restPage2 = await rest(
      `/downtimes/unexplained?site_id=${siteA}&limit=2&cursor=${encodeURIComponent(cursor)}`,
      viewerA.token,
    );
    const page2 = await gqlData<{ unexplainedStops: unknown }>(h, viewerA.token, QUEUE, {
      filter: { siteId: String(siteA) },
      first: 2,
      after: cursor,
    });
    expect(restShape(page2.unexplainedStops, ['cause'])).toEqual(restPage2);
    expect(restPage2.items.length).toBeGreaterThanOrEqual(1);
  });

  it("shows an operator of another site none of site A's stops", async () => {
    const { machine } = await stop(130, 300);
    const theirs = await gqlData<{ unexplainedStops: { items: unknown[] } }>(h, operatorB.token, QUEUE);
    expect(theirs.unexplainedStops.items).toEqual([]);
    const byMachine = await gqlData<{ unexplainedStops: { items: unknown[] } }>(h, operatorB.token, QUEUE, {
      filter: { machineId: String(machine.id) },
    });
    expect(byMachine.unexplainedStops.items).toEqual([]);
    expect((await gqlCode(h, undefined, QUEUE)).extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a malformed filter, page size or cursor with the field named', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: { siteId: 'north' } }, 'site_id'],
      [{ first: 0 }, 'limit'],
      [{ first: 201 }, 'limit'],
      [{ after: 'not-a-cursor' }, 'cursor'],
    ];
    for (const [variables, field] of cases) {
      const refused = await gqlCode(h, viewerA.token, QUEUE, variables);
      expect([refused.extensions.code, refused.extensions.errors?.[0]?.field], field).toEqual([
        'VALIDATION_FAILED',
        field,
      ]);
    }
  });
});

describe('explainStop', () => {
  it('gives twin stops the same reason through REST and GraphQL', async () => {
    const [viaRest, viaGql] = [await stop(200, 600), await stop(200, 600)];
    const answer = await post(`/downtimes/${viaRest.id}/explain`, {
      reason_id: reasons.MAT_SHORTAGE,
      comment: 'no resin',
    });
    expect(answer.statusCode, answer.body).toBe(200);
    const data = await gqlData<{ explainStop: Record<string, unknown> }>(h, operatorA.token, EXPLAIN, {
      id: String(viaGql.id),
      reasonId: String(reasons.MAT_SHORTAGE),
      comment: 'no resin',
    });
    const stored = await restDowntime(viaGql.id);
    expect(restShape(data.explainStop)).toEqual(
      Object.fromEntries(Object.keys(restShape(data.explainStop) as object).map((k) => [k, stored[k]])),
    );
    expect(twin(stored)).toEqual(twin(answer.json()));
    expect(stored).toMatchObject({ reason_code: 'MAT_SHORTAGE', comment: 'no resin' });
    const audit = await rest(`/audit?entity=downtime&entity_id=${viaGql.id}`);
    expect(audit.items.map((entry: { action: string }) => entry.action)).toContain('explain');
  });

  it('refuses, changing nothing: a viewer, another site, an unknown reason, a second answer, a bad id', async () => {
    const { id } = await stop(210, 300);
    const explain = (token: string, variables: Record<string, unknown>) =>
      gqlCode(h, token, EXPLAIN, { id: String(id), reasonId: String(reasons.MECH_JAM), ...variables });
    expect((await explain(viewerA.token, {})).extensions.code).toBe('FORBIDDEN');
    expect((await explain(operatorB.token, {})).extensions.code).toBe('DOWNTIME_NOT_FOUND');
    const unknown = await explain(operatorA.token, { reasonId: '999999' });
    expect(unknown.extensions).toMatchObject({ code: 'UNKNOWN_REASON', errors: [{ field: 'reason_id' }] });
    const malformed = await explain(operatorA.token, { reasonId: 'jam' });
    expect(malformed.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'reason_id' }],
    });
    expect((await explain(operatorA.token, { id: '0' })).extensions.code).toBe('VALIDATION_FAILED');
    expect(await restDowntime(id)).toMatchObject({ reason_id: null, comment: null });

    await gqlData(h, operatorA.token, EXPLAIN, { id: String(id), reasonId: String(reasons.MECH_JAM) });
    const again = await explain(operatorA.token, { reasonId: String(reasons.MAT_SHORTAGE) });
    expect(again.extensions.code).toBe('DOWNTIME_ALREADY_EXPLAINED');
    expect((await restDowntime(id)).reason_code).toBe('MECH_JAM');
  });
});

describe('splitStop', () => {
  it('cuts twin stops into the same parts through REST and GraphQL', async () => {
    const [viaRest, viaGql] = [await stop(300, 900), await stop(300, 900)];
    const parts = [
      { until: at(303, 20).toISOString(), reason_id: reasons.MAT_SHORTAGE, comment: 'waiting for resin' },
      { until: at(311).toISOString(), reason_id: reasons.CHANGEOVER },
      { reason_id: null },
    ];
    const answer = await post(`/downtimes/${viaRest.id}/split`, { parts });
    expect(answer.statusCode, answer.body).toBe(200);
    const data = await gqlData<{ splitStop: { id: string }[] }>(h, operatorA.token, SPLIT, {
      id: String(viaGql.id),
      parts: [
        { until: parts[0]?.until, reasonId: String(reasons.MAT_SHORTAGE), comment: 'waiting for resin' },
        { until: parts[1]?.until, reasonId: String(reasons.CHANGEOVER) },
        {}, // no reasonId: the part stays in the queue, as reason_id null does in REST
      ],
    });
    const stored = await Promise.all(data.splitStop.map((part) => restDowntime(Number(part.id))));
    expect(stored.map(twin)).toEqual((answer.json().parts as Record<string, unknown>[]).map(twin));
    expect(restShape(data.splitStop)).toEqual(
      stored.map((part) =>
        Object.fromEntries(Object.keys(restShape(data.splitStop[0]) as object).map((k) => [k, part[k]])),
      ),
    );
    expect(stored.map((p) => [p.duration_seconds, p.reason_code])).toEqual([
      [200, 'MAT_SHORTAGE'],
      [460, 'CHANGEOVER'],
      [240, null],
    ]);
    const queue = await gqlData<{ unexplainedStops: { items: { id: string; splitFromId: string }[] } }>(
      h,
      operatorA.token,
      QUEUE,
      { filter: { machineId: String(viaGql.machine.id) } },
    );
    expect(queue.unexplainedStops.items).toEqual([
      expect.objectContaining({ id: String(stored[2]?.id), splitFromId: String(viaGql.id) }),
    ]);
  });

  it('refuses bad parts with the field named and stores nothing', async () => {
    const { machine, id } = await stop(400, 900);
    const before = await rest(`/downtimes?machine_id=${machine.id}`);
    const split = (parts: unknown[], token = operatorA.token) =>
      gqlCode(h, token, SPLIT, { id: String(id), parts });
    const backwards = await split([{ until: at(405).toISOString() }, { until: at(404).toISOString() }, {}]);
    expect(backwards.extensions.code).toBe('INVALID_SPLIT');
    expect(backwards.extensions.errors).toContainEqual(expect.objectContaining({ field: 'parts.1.until' }));
    const single = await split([{ reasonId: String(reasons.MECH_JAM) }]);
    expect(single.extensions).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'parts' }] });
    const unknown = await split([{ until: at(405).toISOString(), reasonId: '999999' }, {}]);
    expect(unknown.extensions).toMatchObject({
      code: 'UNKNOWN_REASON',
      errors: [{ field: 'parts.0.reason_id' }],
    });
    const viewer = await split([{ until: at(405).toISOString() }, {}], viewerA.token);
    expect(viewer.extensions.code).toBe('FORBIDDEN');
    const otherSite = await split([{ until: at(405).toISOString() }, {}], operatorB.token);
    expect(otherSite.extensions.code).toBe('DOWNTIME_NOT_FOUND');
    expect(await rest(`/downtimes?machine_id=${machine.id}`)).toEqual(before);
  });
});

describe('correcting a reason (updateDowntime, the twin of PATCH /downtimes/{id})', () => {
  it('changes the reason, and null sends the stop back to the queue', async () => {
    const { machine, id } = await stop(500, 300);
    await gqlData(h, operatorA.token, EXPLAIN, { id: String(id), reasonId: String(reasons.MECH_JAM) });
    const changed = await gqlData<{ updateDowntime: unknown }>(h, operatorA.token, CORRECT, {
      id: String(id),
      reasonId: String(reasons.CHANGEOVER),
    });
    expect(changed.updateDowntime).toMatchObject({ reasonCode: 'CHANGEOVER' });
    expect(
      (await gqlCode(h, viewerA.token, CORRECT, { id: String(id), reasonId: null })).extensions.code,
    ).toBe('FORBIDDEN');
    expect((await restDowntime(id)).reason_code).toBe('CHANGEOVER');
    await gqlData(h, operatorA.token, CORRECT, { id: String(id), reasonId: null });
    const queue = await gqlData<{ unexplainedStops: { items: { id: string }[] } }>(h, viewerA.token, QUEUE, {
      filter: { machineId: String(machine.id) },
    });
    expect(queue.unexplainedStops.items.map((item) => item.id)).toEqual([String(id)]);
  });
});
