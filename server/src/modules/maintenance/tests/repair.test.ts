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
let technician: UserRecord;
let operator: UserRecord;
let machine: MachineRecord;
let failureCodeId: number;

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  [technician, operator] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'operator', site_ids: [site.id] }),
  ]);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const codes = (
    await h.request({ method: 'GET', url: '/catalog/failure-codes', token: technician.token })
  ).json();
  failureCodeId = codes.find((c: { code: string }) => c.code === 'FL-001').id;
});
afterAll(() => h.close());

const post = (token: string, payload: Record<string, unknown>) =>
  h.request({ method: 'POST', url: '/repairs', token, payload });

describe('repairs', () => {
  it('records a repair with its cause, technicians, parts and the stop it fixed; the author comes from the token', async () => {
    const stop = (
      await h.request({
        method: 'POST',
        url: '/downtimes',
        token: operator.token,
        payload: {
          machine_id: machine.id,
          start_datetime: '2026-02-01T08:00:00Z',
          end_datetime: '2026-02-01T09:30:00Z',
        },
      })
    ).json();
    const created = await post(technician.token, {
      machine_id: machine.id,
      start_datetime: '2026-02-01T08:10:00Z',
      description: 'Spindle bearing noisy',
      failure_code_id: failureCodeId,
      technician_ids: [technician.id],
      parts: [{ part: 'Bearing 6204-2RS', quantity: 2 }],
      cost: 180.5,
      downtime_id: stop.id,
      created_by: operator.id,
    });
    expect(created.statusCode).toBe(201);
    const repair = created.json();
    expect(repair).toMatchObject({
      status: 'open',
      repair_type: 'unscheduled',
      failure_code: 'FL-001',
      cost: 180.5,
      downtime_id: stop.id,
      created_by: technician.id,
      technicians: [{ id: technician.id, username: technician.username }],
      parts: [{ part: 'Bearing 6204-2RS', quantity: 2 }],
    });
    const linked = (
      await h.request({ method: 'GET', url: `/downtimes/${stop.id}`, token: technician.token })
    ).json();
    expect(linked.repair_ids).toEqual([repair.id]);
  });

  it('refuses to close without an end time and actions taken, and an end before the start', async () => {
    const repair = (
      await post(technician.token, {
        machine_id: machine.id,
        start_datetime: '2026-02-02T08:00:00Z',
        description: 'Leak',
      })
    ).json();
    const close = await h.request({
      method: 'PATCH',
      url: `/repairs/${repair.id}`,
      token: technician.token,
      payload: { status: 'closed' },
    });
    expect(close.statusCode).toBe(422);
    expect(close.json().error_code).toBe('REPAIR_CANNOT_CLOSE');
    expect(
      close
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['actions_taken', 'end_datetime']);
    const backwards = await h.request({
      method: 'PATCH',
      url: `/repairs/${repair.id}`,
      token: technician.token,
      payload: { end_datetime: '2026-02-02T07:00:00Z' },
    });
    expect(backwards.statusCode).toBe(422);
    const closed = await h.request({
      method: 'PATCH',
      url: `/repairs/${repair.id}`,
      token: technician.token,
      payload: { status: 'closed', end_datetime: '2026-02-02T10:00:00Z', actions_taken: 'Replaced the seal' },
    });
    expect(closed.json()).toMatchObject({
      status: 'closed',
      duration_seconds: 7200,
      updated_by: technician.id,
    });
    const audit = (
      await h.request({
        method: 'GET',
        url: `/audit?entity=repair&entity_id=${repair.id}`,
        token: h.adminToken,
      })
    ).json();
    expect(audit.items[0].action).toBe('close');
  });

  it('refuses technicians from elsewhere and a stop of another machine', async () => {
    const other = await buildMachine(h, machine.line_id);
    const stop = (
      await h.request({
        method: 'POST',
        url: '/downtimes',
        token: operator.token,
        payload: {
          machine_id: other.id,
          start_datetime: '2026-02-03T08:00:00Z',
          end_datetime: '2026-02-03T08:30:00Z',
        },
      })
    ).json();
    const wrongStop = await post(technician.token, {
      machine_id: machine.id,
      start_datetime: '2026-02-03T08:00:00Z',
      description: 'x',
      downtime_id: stop.id,
    });
    expect(wrongStop.json().error_code).toBe('DOWNTIME_OF_OTHER_MACHINE');
    const stranger = await buildUser(h, { role: 'technician', site_ids: [(await buildSite(h)).id] });
    const wrongPerson = await post(technician.token, {
      machine_id: machine.id,
      start_datetime: '2026-02-03T08:00:00Z',
      description: 'x',
      technician_ids: [stranger.id],
    });
    expect(wrongPerson.json().error_code).toBe('UNKNOWN_TECHNICIAN');
  });

  it('lets an operator read repairs but not write them', async () => {
    expect(
      (
        await post(operator.token, {
          machine_id: machine.id,
          start_datetime: '2026-02-04T08:00:00Z',
          description: 'x',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await h.request({ method: 'GET', url: `/repairs?machine_id=${machine.id}`, token: operator.token }))
        .statusCode,
    ).toBe(200);
  });

  it('filters by free text and pages with a cursor, newest first', async () => {
    const line = await buildLine(h, site.id);
    const press = await buildMachine(h, line.id);
    for (let day = 10; day < 15; day += 1) {
      await post(technician.token, {
        machine_id: press.id,
        start_datetime: `2026-02-${day}T08:00:00Z`,
        description: day === 12 ? 'Hydraulic hose burst' : 'Routine check',
      });
    }
    const first = (
      await h.request({
        method: 'GET',
        url: `/repairs?machine_id=${press.id}&limit=2`,
        token: operator.token,
      })
    ).json();
    expect(first.items.map((r: { start_datetime: string }) => r.start_datetime.slice(8, 10))).toEqual([
      '14',
      '13',
    ]);
    const second = (
      await h.request({
        method: 'GET',
        url: `/repairs?machine_id=${press.id}&limit=2&cursor=${first.next_cursor}`,
        token: operator.token,
      })
    ).json();
    expect(second.items.map((r: { start_datetime: string }) => r.start_datetime.slice(8, 10))).toEqual([
      '12',
      '11',
    ]);
    const text = (
      await h.request({ method: 'GET', url: `/repairs?machine_id=${press.id}&q=hose`, token: operator.token })
    ).json();
    expect(text.items).toHaveLength(1);
  });

  it('speaks the original enums in GraphQL', async () => {
    const gql = async (query: string) =>
      (
        await h.request({ method: 'POST', url: '/graphql', token: technician.token, payload: { query } })
      ).json();
    const created = await gql(
      `mutation { createRepair(input: { machineId: ${machine.id}, type: SCHEDULED, startDatetime: "2026-02-20T06:00:00Z", description: "Planned service", failureCodeId: ${failureCodeId} }) { id type status cause machine { code } } }`,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data.createRepair).toMatchObject({
      type: 'SCHEDULED',
      status: 'OPEN',
      cause: 'FL-001',
      machine: { code: machine.code },
    });
    const closed = await gql(
      `mutation { updateRepair(id: ${created.data.createRepair.id}, input: { status: CLOSED, endDatetime: "2026-02-20T07:00:00Z", actionsTaken: "Lubricated" }) { status durationSeconds } }`,
    );
    expect(closed.data.updateRepair).toEqual({ status: 'CLOSED', durationSeconds: 3600 });
    const listed = await gql(
      `{ repairs(filter: { machineId: ${machine.id}, type: SCHEDULED }) { items { description } } }`,
    );
    expect(listed.data.repairs.items.map((r: { description: string }) => r.description)).toEqual([
      'Planned service',
    ]);
  });
});
