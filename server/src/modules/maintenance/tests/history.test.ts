import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, buildUser } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('machine history', () => {
  it('merges stops, repairs and record changes newest first, pages without repeats, and hides other sites', async () => {
    const site = await buildSite(h);
    const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
    const tech = await buildUser(h, { role: 'technician', site_ids: [site.id] });
    const at = (day: number, hour = 8) =>
      `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
    for (const day of [1, 3, 5]) {
      await h.request({
        method: 'POST',
        url: '/downtimes',
        token: tech.token,
        payload: { machine_id: machine.id, start_datetime: at(day), end_datetime: at(day, 9) },
      });
    }
    for (const day of [2, 4]) {
      await h.request({
        method: 'POST',
        url: '/repairs',
        token: tech.token,
        payload: { machine_id: machine.id, start_datetime: at(day), description: `Fix ${day}` },
      });
    }
    await h.request({
      method: 'PATCH',
      url: `/machines/${machine.id}`,
      token: h.adminToken,
      payload: { criticality: 'A' },
    });

    const first = (
      await h.request({ method: 'GET', url: `/machines/${machine.id}/history?limit=3`, token: tech.token })
    ).json();
    expect(first.items.map((i: { kind: string }) => i.kind)).toEqual(['change', 'change', 'downtime']);
    expect(first.items[0]).toMatchObject({ kind: 'change', actor_username: 'admin' });
    expect(first.items[0].details.changed).toEqual(['criticality']);
    const rest = (
      await h.request({
        method: 'GET',
        url: `/machines/${machine.id}/history?limit=10&cursor=${first.next_cursor}`,
        token: tech.token,
      })
    ).json();
    expect(rest.items.map((i: { kind: string; at: string }) => `${i.kind}@${i.at.slice(8, 10)}`)).toEqual([
      'repair@04',
      'downtime@03',
      'repair@02',
      'downtime@01',
    ]);
    expect(rest.next_cursor).toBeNull();

    const onlyRepairs = (
      await h.request({
        method: 'GET',
        url: `/machines/${machine.id}/history?kinds=repair`,
        token: tech.token,
      })
    ).json();
    expect(onlyRepairs.items).toHaveLength(2);

    const outsider = await buildUser(h, { role: 'viewer', site_ids: [(await buildSite(h)).id] });
    expect(
      (await h.request({ method: 'GET', url: `/machines/${machine.id}/history`, token: outsider.token }))
        .statusCode,
    ).toBe(404);

    const gql = (
      await h.request({
        method: 'POST',
        url: '/graphql',
        token: tech.token,
        payload: {
          query: `{ machineHistory(machineId: ${machine.id}, first: 2) { items { kind summary } nextCursor } }`,
        },
      })
    ).json();
    expect(gql.data.machineHistory.items).toHaveLength(2);
  });
});
