import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { buildPlant, buildTool, expectStatus, type Plant } from './pm.fixtures.ts';

let h: Harness;
let plant: Plant;

beforeAll(async () => {
  h = await createHarness();
  plant = await buildPlant(h);
});
afterAll(async () => {
  await h.close();
});

const post = (payload: Record<string, unknown>, token = h.adminToken) =>
  h.request({ method: 'POST', url: '/checklist-templates', token, payload });

describe('checklist templates', () => {
  it('creates a template with its steps in order and reads it back', async () => {
    const response = await post({
      name: 'Mould PM',
      applies_to: 'mould',
      items: [
        { text: 'Clean parting line' },
        { text: 'Check ejector pins' },
        { text: 'Grease guides', required: false },
      ],
    });
    await expectStatus(response, 201);
    const template = response.json();
    expect(template).toMatchObject({ site_id: null, applies_to: 'mould', is_active: true, used_by_logs: 0 });
    expect(
      template.items.map((i: { position: number; text: string; required: boolean }) => [
        i.position,
        i.text,
        i.required,
      ]),
    ).toEqual([
      [1, 'Clean parting line', true],
      [2, 'Check ejector pins', true],
      [3, 'Grease guides', false],
    ]);
    const read = await h.request({
      method: 'GET',
      url: `/checklist-templates/${template.id}`,
      token: plant.operator.token,
    });
    expect(read.json().items).toHaveLength(3);
  });

  it('refuses an empty checklist, a duplicate step and a duplicate name, storing nothing', async () => {
    expect((await post({ name: 'Empty', items: [] })).statusCode).toBe(422);
    const dup = await post({ name: 'Dup', items: [{ text: 'A' }, { text: 'a' }] });
    expect(dup.statusCode).toBe(422);
    expect(JSON.stringify(dup.json())).toContain('items.1.text');
    await expectStatus(await post({ name: 'Once', items: [{ text: 'A' }] }), 201);
    expect((await post({ name: 'once', items: [{ text: 'B' }] })).statusCode).toBe(409);
    const all = await h.request({
      method: 'GET',
      url: '/checklist-templates?include_inactive=true',
      token: h.adminToken,
    });
    expect(all.json().filter((t: { name: string }) => ['Empty', 'Dup'].includes(t.name))).toEqual([]);
  });

  it('replaces steps, deactivates, and deletes only an unused template', async () => {
    const created = (await post({ name: 'Editable', items: [{ text: 'One' }] })).json();
    const edited = await h.request({
      method: 'PATCH',
      url: `/checklist-templates/${created.id}`,
      token: h.adminToken,
      payload: { items: [{ text: 'Two' }, { text: 'Three' }] },
    });
    expect(edited.json().items.map((i: { text: string }) => i.text)).toEqual(['Two', 'Three']);
    const off = await h.request({
      method: 'PATCH',
      url: `/checklist-templates/${created.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.json().is_active).toBe(false);
    const active = await h.request({ method: 'GET', url: '/checklist-templates', token: h.adminToken });
    expect(active.json().map((t: { id: number }) => t.id)).not.toContain(created.id);
    expect(
      (await h.request({ method: 'DELETE', url: `/checklist-templates/${created.id}`, token: h.adminToken }))
        .statusCode,
    ).toBe(204);

    // Used by a plan: refused with a hint to deactivate.
    const used = (await post({ name: 'Used', items: [{ text: 'X' }] })).json();
    const tool = await buildTool(h, plant.siteId);
    await expectStatus(
      await h.request({
        method: 'POST',
        url: `/tools/${tool.id}/pm-plans`,
        token: h.adminToken,
        payload: { name: 'With checklist', every_days: 30, checklist_template_id: used.id },
      }),
      201,
    );
    const refused = await h.request({
      method: 'DELETE',
      url: `/checklist-templates/${used.id}`,
      token: h.adminToken,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toContain('deactivate');
  });

  it('site templates are seen by their site (with the shared ones), not by others; only catalog managers write', async () => {
    const own = (
      await post({ site_id: plant.siteId, name: 'Site only', items: [{ text: 'Local step' }] })
    ).json();
    const mine = await h.request({
      method: 'GET',
      url: `/checklist-templates?site_id=${plant.siteId}`,
      token: plant.technician.token,
    });
    expect(mine.json().map((t: { id: number }) => t.id)).toContain(own.id);
    const theirs = await h.request({
      method: 'GET',
      url: '/checklist-templates',
      token: plant.outsider.token,
    });
    expect(theirs.json().map((t: { id: number }) => t.id)).not.toContain(own.id);
    expect(
      (await h.request({ method: 'GET', url: `/checklist-templates/${own.id}`, token: plant.outsider.token }))
        .statusCode,
    ).toBe(404);
    expect((await post({ name: 'By manager', items: [{ text: 'A' }] }, plant.manager.token)).statusCode).toBe(
      403,
    );
    expect((await post({ name: 'By tech', items: [{ text: 'A' }] }, plant.technician.token)).statusCode).toBe(
      403,
    );
  });

  it('GraphQL lists and creates templates', async () => {
    const created = await h.request({
      method: 'POST',
      url: '/graphql',
      token: h.adminToken,
      payload: {
        query: `mutation { createChecklistTemplate(input: { name: "GQL list", appliesTo: "tool", items: [{ text: "Step A" }, { text: "Step B", required: false }] }) { id name appliesTo items { position text required } } }`,
      },
    });
    expect(created.json().errors).toBeUndefined();
    expect(created.json().data.createChecklistTemplate.items).toEqual([
      { position: 1, text: 'Step A', required: true },
      { position: 2, text: 'Step B', required: false },
    ]);
    const listed = await h.request({
      method: 'POST',
      url: '/graphql',
      token: plant.operator.token,
      payload: { query: '{ checklistTemplates(appliesTo: "tool") { name } }' },
    });
    expect(listed.json().data.checklistTemplates.map((t: { name: string }) => t.name)).toContain('GQL list');
  });
});
