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
let operator: UserRecord;
let reasonId: number;

async function newMachine(): Promise<MachineRecord> {
  return buildMachine(h, (await buildLine(h, site.id)).id);
}

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  operator = await buildUser(h, { role: 'worker', site_ids: [site.id] });
  const reasons = (
    await h.request({ method: 'GET', url: '/catalog/downtime-reasons', token: operator.token })
  ).json();
  reasonId = reasons.find((r: { code: string }) => r.code === 'ELEC_FAULT').id;
});
afterAll(() => h.close());

describe('downtime', () => {
  it('records a stop, marks the machine broken, counts up while open, and ends it', async () => {
    const machine = await newMachine();
    const stop = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: { machine_id: machine.id, start_datetime: minutesAgo(30), reason_id: reasonId },
    });
    expect(stop.statusCode).toBe(201);
    const open = stop.json();
    expect(open).toMatchObject({
      machine_id: machine.id,
      end_datetime: null,
      reason_code: 'ELEC_FAULT',
      reported_by: operator.id,
    });
    expect(open.duration_seconds).toBeGreaterThan(30 * 60 - 5);
    expect(open.duration_seconds).toBeLessThan(30 * 60 + 60);
    const broken = (
      await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: operator.token })
    ).json();
    expect(broken.status).toBe('broken');

    const ended = await h.request({
      method: 'POST',
      url: `/downtimes/${open.id}/end`,
      token: operator.token,
      payload: {},
    });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().end_datetime).not.toBeNull();
    const running = (
      await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: operator.token })
    ).json();
    expect(running.status).toBe('operational');
  });

  it('refuses a second open stop on a machine that is down, naming the open one', async () => {
    const machine = await newMachine();
    const first = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: { machine_id: machine.id },
    });
    const second = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: { machine_id: machine.id },
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().error_code).toBe('DOWNTIME_ALREADY_OPEN');
    expect(second.json().message).toContain(`downtime ${first.json().id}`);
  });

  it('keeps exact durations, refuses end before start, overlaps and times in the future', async () => {
    const machine = await newMachine();
    const start = '2026-01-05T06:00:00.000Z';
    const closed = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: {
        machine_id: machine.id,
        start_datetime: start,
        end_datetime: '2026-01-05T07:30:15.000Z',
        planned: true,
      },
    });
    expect(closed.json()).toMatchObject({ duration_seconds: 5415, planned: true });
    expect(
      (await h.request({ method: 'GET', url: `/machines/${machine.id}`, token: operator.token })).json()
        .status,
    ).toBe('operational');

    const backwards = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: {
        machine_id: machine.id,
        start_datetime: '2026-01-06T08:00:00Z',
        end_datetime: '2026-01-06T07:00:00Z',
      },
    });
    expect(backwards.statusCode).toBe(422);
    expect(backwards.json().errors[0].field).toBe('end_datetime');

    const overlapping = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: {
        machine_id: machine.id,
        start_datetime: '2026-01-05T07:00:00Z',
        end_datetime: '2026-01-05T08:00:00Z',
      },
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().error_code).toBe('DOWNTIME_OVERLAP');

    const future = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: operator.token,
      payload: { machine_id: machine.id, start_datetime: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(future.statusCode).toBe(422);
  });

  it('lets an operator give the reason later, and lists unexplained stops', async () => {
    const machine = await newMachine();
    const stop = (
      await h.request({
        method: 'POST',
        url: '/downtimes',
        token: operator.token,
        payload: { machine_id: machine.id, start_datetime: minutesAgo(10) },
      })
    ).json();
    const queue = (
      await h.request({
        method: 'GET',
        url: `/downtimes?unexplained=true&machine_id=${machine.id}`,
        token: operator.token,
      })
    ).json();
    expect(queue.items.map((d: { id: number }) => d.id)).toEqual([stop.id]);
    const explained = await h.request({
      method: 'PATCH',
      url: `/downtimes/${stop.id}`,
      token: operator.token,
      payload: { reason_id: reasonId, comment: 'Breaker tripped' },
    });
    expect(explained.json()).toMatchObject({ reason_code: 'ELEC_FAULT', comment: 'Breaker tripped' });
    const audit = (
      await h.request({
        method: 'GET',
        url: `/audit?entity=downtime&entity_id=${stop.id}`,
        token: h.adminToken,
      })
    ).json();
    expect(audit.items[0]).toMatchObject({ action: 'update', actor_username: operator.username });
  });

  it('works in GraphQL: createDowntime, endDowntime, downtimes with the machine', async () => {
    const machine = await newMachine();
    const gql = async (query: string) =>
      (
        await h.request({ method: 'POST', url: '/graphql', token: operator.token, payload: { query } })
      ).json();
    const created = await gql(
      `mutation { createDowntime(input: { machineId: ${machine.id}, reasonId: ${reasonId} }) { id endDatetime machine { code status } } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createDowntime.machine.status).toBe('broken');
    const ended = await gql(
      `mutation { endDowntime(id: ${created.data.createDowntime.id}) { endDatetime durationSeconds } }`,
    );
    expect(ended.data.endDowntime.endDatetime).not.toBeNull();
    const listed = await gql(
      `{ downtimes(filter: { machineId: ${machine.id} }, first: 5) { items { id reasonCode machine { code } } nextCursor } }`,
    );
    expect(listed.data.downtimes.items).toHaveLength(1);
    expect(listed.data.downtimes.items[0].machine.code).toBe(machine.code);
  });

  it('lets a viewer read but not record, and hides other sites', async () => {
    const machine = await newMachine();
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
    const refused = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: viewer.token,
      payload: { machine_id: machine.id },
    });
    expect(refused.statusCode).toBe(403);
    const elsewhere = await buildSite(h);
    const outsider = await buildUser(h, { role: 'worker', site_ids: [elsewhere.id] });
    const foreign = await h.request({
      method: 'POST',
      url: '/downtimes',
      token: outsider.token,
      payload: { machine_id: machine.id },
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error_code).toBe('MACHINE_NOT_FOUND');
  });
});
