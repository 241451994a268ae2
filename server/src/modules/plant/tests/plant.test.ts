import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type SiteRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
let site: SiteRecord;
let otherSite: SiteRecord;
beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
});
afterAll(() => h.close());

describe('lines and machines', () => {
  it('creates a line and a machine on it, with codes unique per site', async () => {
    const line = await buildLine(h, site.id, { code: 'IM-1', name: 'Injection moulding 1' });
    expect(line).toMatchObject({ site_id: site.id, code: 'IM-1', status: 'working', is_active: true });
    const machine = await buildMachine(h, line.id, {
      code: 'IMM-01',
      criticality: 'A',
      commissioned_on: '2019-04-01',
      manufacturer: 'Engel',
    });
    expect(machine).toMatchObject({
      site_id: site.id,
      line_id: line.id,
      status: 'operational',
      criticality: 'A',
      commissioned_on: '2019-04-01',
    });

    const again = await h.request({
      method: 'POST',
      url: '/lines',
      token: h.adminToken,
      payload: { site_id: site.id, code: 'im-1', name: 'x' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error_code).toBe('LINE_CODE_TAKEN');
    // The same code on another site is fine.
    await buildLine(h, otherSite.id, { code: 'IM-1' });
  });

  it('deactivates instead of deleting, and lists only active ones unless asked', async () => {
    const line = await buildLine(h, site.id);
    const machine = await buildMachine(h, line.id);
    const off = await h.request({
      method: 'PATCH',
      url: `/machines/${machine.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.json().is_active).toBe(false);
    const active = (
      await h.request({ method: 'GET', url: `/machines?line_id=${line.id}`, token: h.adminToken })
    ).json();
    expect(active).toEqual([]);
    const all = (
      await h.request({
        method: 'GET',
        url: `/machines?line_id=${line.id}&include_inactive=true`,
        token: h.adminToken,
      })
    ).json();
    expect(all.map((m: { id: number }) => m.id)).toEqual([machine.id]);
    const audit = (
      await h.request({
        method: 'GET',
        url: `/audit?entity=machine&entity_id=${machine.id}`,
        token: h.adminToken,
      })
    ).json();
    expect(audit.items.map((e: { action: string }) => e.action)).toEqual(['deactivate', 'create']);
  });

  it('keeps a machine on its site when it moves line', async () => {
    const line = await buildLine(h, site.id);
    const foreign = await buildLine(h, otherSite.id);
    const machine = await buildMachine(h, line.id);
    const moved = await h.request({
      method: 'PATCH',
      url: `/machines/${machine.id}`,
      token: h.adminToken,
      payload: { line_id: foreign.id },
    });
    expect(moved.statusCode).toBe(404);
    expect(moved.json().error_code).toBe('LINE_NOT_FOUND');
  });

  it('lets a viewer read their site only, and refuses their writes', async () => {
    const line = await buildLine(h, site.id);
    await buildMachine(h, line.id);
    const hidden = await buildLine(h, otherSite.id);
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [site.id] });
    const lines = (await h.request({ method: 'GET', url: '/lines', token: viewer.token })).json();
    expect(lines.every((l: { site_id: number }) => l.site_id === site.id)).toBe(true);
    expect(
      (await h.request({ method: 'GET', url: `/lines/${hidden.id}`, token: viewer.token })).statusCode,
    ).toBe(404);
    const write = await h.request({
      method: 'POST',
      url: '/lines',
      token: viewer.token,
      payload: { site_id: site.id, code: 'X', name: 'x' },
    });
    expect(write.statusCode).toBe(403);
    const manager = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    const elsewhere = await h.request({
      method: 'POST',
      url: '/lines',
      token: manager.token,
      payload: { site_id: otherSite.id, code: 'X', name: 'x' },
    });
    expect(elsewhere.statusCode).toBe(403);
  });

  it('answers the plant tree in GraphQL with batched machines', async () => {
    const line = await buildLine(h, site.id, { name: 'Assembly' });
    await buildMachine(h, line.id, { name: 'Press A' });
    await buildMachine(h, line.id, { name: 'Press B' });
    const result = await h.request({
      method: 'POST',
      url: '/graphql',
      token: h.adminToken,
      payload: {
        query: `{ lines(siteId: ${site.id}) { code name machines { name status line { code } } } }`,
      },
    });
    const body = result.json();
    expect(body.errors).toBeUndefined();
    const assembly = body.data.lines.find((l: { name: string }) => l.name === 'Assembly');
    expect(assembly.machines.map((m: { name: string }) => m.name).sort()).toEqual(['Press A', 'Press B']);
    expect(assembly.machines[0].line.code).toBe(assembly.code);

    const created = await h.request({
      method: 'POST',
      url: '/graphql',
      token: h.adminToken,
      payload: {
        query: `mutation { createMachine(input: { lineId: ${line.id}, code: "GQL-1", name: "From GraphQL", criticality: "C" }) { id criticality status } }`,
      },
    });
    expect(created.json().data.createMachine).toMatchObject({ criticality: 'C', status: 'operational' });
  });
});
