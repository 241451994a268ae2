import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';

describe('action items', () => {
  let h: Harness;
  let site: SiteRecord;
  let otherSite: SiteRecord;
  let manager: UserRecord;
  let tech: UserRecord;
  let operator: UserRecord;
  let viewer: UserRecord;
  let stranger: UserRecord;
  let machine: MachineRecord;

  beforeAll(async () => {
    h = await createHarness();
    site = await buildSite(h);
    otherSite = await buildSite(h);
    manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    tech = await buildUser(h, { role: 'technician', site_ids: [site.id] });
    operator = await buildUser(h, { role: 'operator', site_ids: [site.id] });
    viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
    stranger = await buildUser(h, { role: 'manager', site_ids: [otherSite.id] });
    machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  });
  afterAll(async () => {
    await h.close();
  });

  const create = (token: string, payload: Record<string, unknown>) =>
    h.request({ method: 'POST', url: '/action-items', token, payload });
  const move = (token: string, id: number, status: string, note?: string) =>
    h.request({
      method: 'POST',
      url: `/action-items/${id}/status`,
      token,
      payload: { status, ...(note ? { note } : {}) },
    });

  async function newAction(overrides: Record<string, unknown> = {}) {
    const response = await create(manager.token, {
      title: 'Replace worn ejector pin',
      assignee_id: tech.id,
      due_at: '2030-05-01T12:00:00Z',
      machine_id: machine.id,
      ...overrides,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: number; status: string; allowed_transitions: string[] };
  }

  it('a manager creates a manual action; the assignee is told and sees it among theirs', async () => {
    const created = await newAction({ priority: 'high', description: 'Pin 4 shows burrs' });
    expect(created).toMatchObject({
      status: 'open',
      source: 'manual',
      source_id: null,
      site_id: site.id,
      assignee_id: tech.id,
      machine_code: machine.code,
      priority: 'high',
      can_manage: true,
      allowed_transitions: ['in_progress', 'cancelled'],
    });
    const notes = await h.request({ method: 'GET', url: '/notifications', token: tech.token });
    expect(notes.json().items).toContainEqual(
      expect.objectContaining({ kind: 'action_assigned', link: `/app/actions/${created.id}` }),
    );
    const mine = await h.request({ method: 'GET', url: '/action-items?assignee=mine', token: tech.token });
    expect(mine.json().items.map((i: { id: number }) => i.id)).toContain(created.id);
    const theirs = await h.request({
      method: 'GET',
      url: '/action-items?assignee=mine',
      token: operator.token,
    });
    expect(theirs.json().items.map((i: { id: number }) => i.id)).not.toContain(created.id);
    // The audit log has it.
    const audit = await h.request({
      method: 'GET',
      url: `/audit?entity=action_item&entity_id=${created.id}`,
      token: h.adminToken,
    });
    expect(audit.statusCode).toBe(200);
    expect(audit.json().items.map((e: { action: string }) => e.action)).toContain('create');
  });

  it('refuses creation by people without action:manage, and bad input, changing nothing', async () => {
    expect((await create(tech.token, { title: 'x' })).statusCode).toBe(403);
    const bad = await create(manager.token, { title: '', due_at: 'tomorrow', priority: 'urgent' });
    expect(bad.statusCode).toBe(422);
    const noSiteMember = await create(manager.token, { title: 'x', assignee_id: stranger.id });
    expect(noSiteMember.statusCode).toBe(422);
    expect(noSiteMember.json().error_code).toBe('INVALID_ASSIGNEE');
    const foreignSite = await create(manager.token, { title: 'x', site_id: otherSite.id });
    expect(foreignSite.statusCode).toBe(403);
  });

  it('the assignee starts and completes with a resolution; history records each step', async () => {
    const { id } = await newAction();
    const started = await move(tech.token, id, 'in_progress');
    expect(started.statusCode, started.body).toBe(200);
    expect(started.json().allowed_transitions).toEqual(['completed']);
    const done = await move(tech.token, id, 'completed', 'Pin replaced, 20 good shots');
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ status: 'completed', resolution: 'Pin replaced, 20 good shots' });
    expect(done.json().completed_at).toBeTruthy();
    const detail = (
      await h.request({ method: 'GET', url: `/action-items/${id}`, token: viewer.token })
    ).json();
    expect(detail.events.map((e: { kind: string; to_value: string | null }) => [e.kind, e.to_value])).toEqual(
      [
        ['created', 'open'],
        ['status', 'in_progress'],
        ['status', 'completed'],
      ],
    );
    expect(detail.events[2].note).toBe('Pin replaced, 20 good shots');
    expect(detail.allowed_transitions).toEqual([]);
  });

  it('refuses moves the state machine does not know with 400 and the allowed moves', async () => {
    const { id } = await newAction();
    const skip = await move(tech.token, id, 'completed');
    expect(skip.statusCode).toBe(400);
    expect(skip.json()).toMatchObject({
      error_code: 'INVALID_ACTION_TRANSITION',
      details: { from: 'open', to: 'completed', allowed: ['in_progress'] },
    });
    await move(manager.token, id, 'cancelled', 'Not needed');
    const fromCancelled = await move(manager.token, id, 'open');
    expect(fromCancelled.statusCode).toBe(400);
    expect(fromCancelled.json().details).toMatchObject({ from: 'cancelled', allowed: [] });
  });

  it('only managers cancel and reopen; others who are not the assignee cannot move it (403)', async () => {
    const { id } = await newAction();
    const cancelByTech = await move(tech.token, id, 'cancelled');
    expect(cancelByTech.statusCode).toBe(403);
    expect(cancelByTech.json()).toMatchObject({
      error_code: 'ACTION_TRANSITION_FORBIDDEN',
      details: { from: 'open', to: 'cancelled', allowed: ['in_progress'] },
    });
    const startByOther = await move(operator.token, id, 'in_progress');
    expect(startByOther.statusCode).toBe(403);
    expect(startByOther.json().details.allowed).toEqual([]);
    expect((await move(viewer.token, id, 'in_progress')).statusCode).toBe(403);
    // A manager may work it too, and reopen a completed one.
    expect((await move(manager.token, id, 'in_progress')).statusCode).toBe(200);
    expect((await move(manager.token, id, 'completed')).statusCode).toBe(200);
    expect((await move(tech.token, id, 'open')).statusCode).toBe(403);
    const reopened = await move(manager.token, id, 'open', 'Burrs are back');
    expect(reopened.statusCode).toBe(200);
    expect(reopened.json()).toMatchObject({ status: 'open', completed_at: null, resolution: null });
  });

  it('managers reassign and reschedule: events, notification to the new assignee', async () => {
    const { id } = await newAction();
    const patched = await h.request({
      method: 'PATCH',
      url: `/action-items/${id}`,
      token: manager.token,
      payload: { assignee_id: operator.id, due_at: '2030-06-01T08:00:00Z', title: 'Replace ejector pin 4' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const kinds = patched.json().events.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(['created', 'edited', 'assigned', 'rescheduled']);
    const assigned = patched.json().events.find((e: { kind: string }) => e.kind === 'assigned');
    expect(assigned).toMatchObject({ from_value: String(tech.id), to_value: String(operator.id) });
    const notes = (await h.request({ method: 'GET', url: '/notifications', token: operator.token })).json();
    expect(notes.items.some((n: { link: string }) => n.link === `/app/actions/${id}`)).toBe(true);
    // The old assignee can no longer start it; the new one can.
    expect((await move(tech.token, id, 'in_progress')).statusCode).toBe(403);
    expect((await move(operator.token, id, 'in_progress')).statusCode).toBe(200);
    const byTech = await h.request({
      method: 'PATCH',
      url: `/action-items/${id}`,
      token: tech.token,
      payload: { title: 'mine now' },
    });
    expect(byTech.statusCode).toBe(403);
  });

  it('comments join the history', async () => {
    const { id } = await newAction();
    const response = await h.request({
      method: 'POST',
      url: `/action-items/${id}/comments`,
      token: operator.token,
      payload: { note: 'Spare pins are in drawer 3' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().events.at(-1)).toMatchObject({
      kind: 'comment',
      note: 'Spare pins are in drawer 3',
    });
    const empty = await h.request({
      method: 'POST',
      url: `/action-items/${id}/comments`,
      token: operator.token,
      payload: { note: '  ' },
    });
    expect(empty.statusCode).toBe(422);
  });

  it('other sites see nothing: 404 on read and writes, empty lists', async () => {
    const { id } = await newAction();
    expect(
      (await h.request({ method: 'GET', url: `/action-items/${id}`, token: stranger.token })).statusCode,
    ).toBe(404);
    expect((await move(stranger.token, id, 'cancelled')).statusCode).toBe(404);
    const patch = await h.request({
      method: 'PATCH',
      url: `/action-items/${id}`,
      token: stranger.token,
      payload: { title: 'hijack' },
    });
    expect(patch.statusCode).toBe(404);
    const list = await h.request({ method: 'GET', url: '/action-items', token: stranger.token });
    expect(list.json().items).toEqual([]);
  });

  it('filters: overdue, status, source, machine, due window; cursor pages', async () => {
    const late = await newAction({ due_at: '2020-01-01T00:00:00Z', title: 'Late one' });
    const overdue = await h.request({
      method: 'GET',
      url: '/action-items?overdue=true',
      token: manager.token,
    });
    const ids = overdue.json().items.map((i: { id: number; overdue: boolean }) => i.id);
    expect(ids).toContain(late.id);
    expect(overdue.json().items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const window = await h.request({
      method: 'GET',
      url: '/action-items?due_before=2021-01-01T00:00:00Z&due_after=2019-01-01T00:00:00Z&status=open,in_progress',
      token: manager.token,
    });
    expect(window.json().items.map((i: { id: number }) => i.id)).toEqual([late.id]);
    const byMachine = await h.request({
      method: 'GET',
      url: `/action-items?machine_id=${machine.id}&source=manual&limit=2`,
      token: manager.token,
    });
    const first = byMachine.json();
    expect(first.items).toHaveLength(2);
    expect(first.next_cursor).toBeTruthy();
    const second = await h.request({
      method: 'GET',
      url: `/action-items?machine_id=${machine.id}&source=manual&limit=2&cursor=${first.next_cursor}`,
      token: manager.token,
    });
    expect(second.json().items[0].id).toBeLessThan(first.items[1].id);
    const bad = await h.request({ method: 'GET', url: '/action-items?status=done', token: manager.token });
    expect(bad.statusCode).toBe(422);
  });

  it('raising the same finding twice gives one open item', async () => {
    const raise = h.server.modules.raiseAction;
    const input = {
      site_id: site.id,
      title: 'Quality alert on M1',
      source: 'quality_alert' as const,
      source_id: 424242,
      assignee_id: tech.id,
    };
    const [a, b] = await h.db.transaction(SYSTEM_SCOPE, async (tx) => [
      await raise(tx, input),
      await raise(tx, input),
    ]);
    expect(a?.created).toBe(true);
    expect(b).toEqual({ id: a?.id, created: false });
    const list = await h.request({
      method: 'GET',
      url: '/action-items?source=quality_alert&source_id=424242',
      token: manager.token,
    });
    expect(list.json().items).toHaveLength(1);
  });

  it('GraphQL lists, reads and moves the same items', async () => {
    const { id } = await newAction();
    const gql = (token: string, query: string, variables: Record<string, unknown> = {}) =>
      h.request({ method: 'POST', url: '/graphql', token, payload: { query, variables } });
    const listed = await gql(
      tech.token,
      `query { actionItems(filter: { assignee: "mine", status: [OPEN] }, first: 10) { items { id status dueAt overdue } nextCursor } }`,
    );
    expect(listed.json().errors).toBeUndefined();
    expect(listed.json().data.actionItems.items.map((i: { id: string }) => Number(i.id))).toContain(id);
    const moved = await gql(
      tech.token,
      `mutation($id: ID!) { moveActionItem(id: $id, status: IN_PROGRESS) { status allowedTransitions events { kind } } }`,
      { id },
    );
    expect(moved.json().data.moveActionItem).toMatchObject({
      status: 'IN_PROGRESS',
      allowedTransitions: ['COMPLETED'],
    });
    const refused = await gql(
      tech.token,
      `mutation($id: ID!) { moveActionItem(id: $id, status: OPEN) { id } }`,
      {
        id,
      },
    );
    expect(refused.json().errors[0].extensions.code).toBe('INVALID_ACTION_TRANSITION');
    const created = await gql(
      manager.token,
      `mutation { createActionItem(input: { title: "From GraphQL", priority: LOW }) { id source priority status } }`,
    );
    expect(created.json().data.createActionItem).toMatchObject({
      source: 'MANUAL',
      priority: 'LOW',
      status: 'OPEN',
    });
  });
});
