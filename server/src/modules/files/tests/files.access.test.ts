import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuilder, createGraphQLContext } from '../../../platform/graphql/builder.ts';
import { registerFilesGraphql } from '../index.ts';
import * as fixture from './files.fixtures.ts';
import { createFilesTestbed, type FilesTestbed } from './files.testbed.ts';

let t: FilesTestbed;
beforeAll(async () => {
  t = await createFilesTestbed();
});
afterAll(() => t?.close());

describe('who may do what', () => {
  it("hides another site's repair and attachments (404) from a technician", async () => {
    const mine = (await t.upload(t.technician, 'a.pdf', fixture.PDF)).json();
    const attach = await t.upload(t.outsider, 'a.pdf', fixture.PDF);
    expect(attach.statusCode).toBe(404);
    expect(attach.json()).toMatchObject({ error_code: 'REPAIR_NOT_FOUND' });
    expect((await t.get(t.outsider, `/repairs/${t.repairId}/attachments`)).statusCode).toBe(404);
    const download = await t.get(t.outsider, mine.url);
    expect(download.statusCode).toBe(404);
    expect(download.json()).toMatchObject({ error_code: 'ATTACHMENT_NOT_FOUND' });
    const remove = await t.remove(t.outsider, mine.url);
    expect(remove.statusCode).toBe(404);
    expect((await t.upload(t.technician, 'a.pdf', fixture.PDF, 999_999)).statusCode).toBe(404);
  });

  it('lets a viewer list and download but not upload or remove (403)', async () => {
    const mine = (await t.upload(t.technician, 'b.pdf', fixture.PDF)).json();
    const refused = await t.upload(t.viewer, 'b.pdf', fixture.PDF);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error_code: 'FORBIDDEN' });
    const list = await t.get(t.viewer, `/repairs/${t.repairId}/attachments`);
    expect(list.statusCode).toBe(200);
    expect(list.json().map((a: { id: number }) => a.id)).toContain(mine.id);
    expect((await t.get(t.viewer, mine.url)).statusCode).toBe(200);
    expect((await t.remove(t.viewer, mine.url)).statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: mine.url });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('removing an attachment', () => {
  it('hides it from the list and the download, keeps the row and audits who removed it', async () => {
    const doomed = (await t.upload(t.technician, 'wrong-machine.png', await fixture.png())).json();
    const remove = await t.remove(t.technician, doomed.url);
    expect(remove.statusCode).toBe(204);
    const list = (await t.get(t.technician, `/repairs/${t.repairId}/attachments`)).json();
    expect(list.map((a: { id: number }) => a.id)).not.toContain(doomed.id);
    expect((await t.get(t.technician, doomed.url)).statusCode).toBe(404);
    expect((await t.remove(t.technician, doomed.url)).statusCode).toBe(404);
    const row = await t.owner.query('select deleted_at, deleted_by::int from attachments where id = $1', [
      doomed.id,
    ]);
    expect(row.rows[0]).toMatchObject({ deleted_at: expect.any(Date), deleted_by: t.technician.id });
    const audit = await t.owner.query(
      `select action from audit_log where entity = 'attachment' and entity_id = $1 order by id`,
      [String(doomed.id)],
    );
    expect(audit.rows.map((r) => r.action)).toEqual(['attach', 'delete']);
  });
});

describe('GraphQL repairAttachments', () => {
  it("lists a repair's attachments with their download paths; another site gets REPAIR_NOT_FOUND", async () => {
    const photo = (await t.upload(t.technician, 'belt.png', await fixture.png())).json();
    const builder = createBuilder();
    registerFilesGraphql(builder, t.files);
    // The app's schema has mutations and subscriptions from other modules; this one needs a stand-in.
    builder.mutationField('ping', (f) => f.boolean({ resolve: () => true }));
    builder.subscriptionField('ping', (f) =>
      f.boolean({ subscribe: () => (async function* () {})(), resolve: () => true }),
    );
    const schema = builder.toSchema();
    const source = `query($id: ID!) { repairAttachments(repairId: $id) {
      id kind originalName contentType width height url thumbnailUrl createdAt } }`;
    const context = async (token: string) =>
      createGraphQLContext({
        actor: await t.h.server.modules.identity.authenticate({ authorization: `Bearer ${token}` }),
        requestId: 'files-graphql',
        clientIp: '127.0.0.1',
        userAgent: undefined,
      });
    const variableValues = { id: String(t.repairId) };
    const seen = await graphql({
      schema,
      source,
      variableValues,
      contextValue: await context(t.viewer.token),
    });
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.repairAttachments).toContainEqual(
      expect.objectContaining({
        id: String(photo.id),
        kind: 'image',
        originalName: 'belt.png',
        contentType: 'image/jpeg',
        url: `/attachments/${photo.id}`,
        thumbnailUrl: `/attachments/${photo.id}?thumbnail=true`,
      }),
    );
    const hidden = await graphql({
      schema,
      source,
      variableValues,
      contextValue: await context(t.outsider.token),
    });
    expect(hidden.errors?.[0]?.message).toMatch(/No repair with id/);
  });
});
