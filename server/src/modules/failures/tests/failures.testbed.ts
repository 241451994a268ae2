import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness } from '../../../../test/harness.ts';

/**
 * The whole app on a fresh database: two sites, each with a line, a machine and a tool; on the first
 * a technician, a manager, an operator and a viewer; on the second a technician. Failure codes come
 * from the seeded catalog (FL-001 high, FL-003 medium, …).
 */
export async function createFailuresTestbed() {
  const h = await createHarness();
  const owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  const [technician, manager, operator, viewer, outsider] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
    buildUser(h, { role: 'operator', site_ids: [site.id] }),
    buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    buildUser(h, { role: 'technician', site_ids: [otherSite.id] }),
  ]);
  const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const otherMachine = await buildMachine(h, (await buildLine(h, otherSite.id)).id);
  const insertTool = async (siteId: number) => {
    const asset = `T-${randomBytes(3).toString('hex').toUpperCase()}`;
    const { rows } = await owner.query<{ id: string }>(
      `insert into tools (site_id, asset_number, name) values ($1, $2, 'Housing mould 4-cavity') returning id`,
      [siteId, asset],
    );
    return { id: Number(rows[0]!.id), asset_number: asset };
  };
  const tool = await insertTool(site.id);
  const otherTool = await insertTool(otherSite.id);
  const codes = Object.fromEntries(
    (await owner.query<{ code: string; id: string }>('select code, id from failure_codes')).rows.map((r) => [
      r.code,
      Number(r.id),
    ]),
  ) as Record<string, number>;

  async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
    const { rows } = await owner.query<{ n: string }>(
      `select count(*) as n from ${pg.escapeIdentifier(table)} where ${where}`,
      params,
    );
    return Number(rows[0]!.n);
  }

  return {
    h,
    owner,
    site,
    otherSite,
    technician,
    manager,
    operator,
    viewer,
    outsider,
    machine,
    otherMachine,
    tool,
    otherTool,
    codes,
    count,
    /** The local file store folder the harness gives this database. */
    filesDir: path.join(os.tmpdir(), `hom-test-files-${h.databaseName}`),
    report(user: UserRecord, payload: Record<string, unknown>) {
      return h.request({ method: 'POST', url: '/failure-reports', token: user.token, payload });
    },
    get: (user: UserRecord, url: string) => h.request({ method: 'GET', url, token: user.token }),
    async close() {
      await owner.end();
      await h.close();
    },
  };
}
export type FailuresTestbed = Awaited<ReturnType<typeof createFailuresTestbed>>;

/** A multipart body of named text fields and files, as a browser's FormData sends it. */
export function formData(
  parts: ({ name: string; value: string } | { name: string; filename: string; data: Buffer })[],
) {
  const boundary = `----hom${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const head =
      'filename' in part
        ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: image/jpeg`
        : `Content-Disposition: form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${boundary}\r\n${head}\r\n\r\n`));
    chunks.push('filename' in part ? part.data : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}
