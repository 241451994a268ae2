import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import pg from 'pg';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness } from '../../../../test/harness.ts';
import { registerAccessGuard } from '../../../platform/http/access.ts';
import { registerErrorHandling } from '../../../platform/http/error-handler.ts';
import { createLocalFileStore } from '../../../platform/storage/local-file-store.ts';
import { repairSiteOf } from '../../maintenance/repair-attachment.owner.ts';
import { createFileService, fileRoutes } from '../index.ts';
import { multipart } from './files.fixtures.ts';

/**
 * Real PostgreSQL (a fresh database), a temporary folder as the file store, and the module's routes
 * behind the real access guard and error handler (modules.ts wires them into the app itself). A
 * repair on one site; a technician and a viewer of that site, and a technician of another site.
 */
export async function createFilesTestbed() {
  const h = await createHarness();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-files-'));
  const files = createFileService({
    db: h.db,
    store: createLocalFileStore(dir),
    ownerSite: (tx, _type, id) => repairSiteOf(tx, id),
  });
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerAccessGuard(app, []);
  app.addHook('onRequest', async (request) => {
    const authorization = request.headers.authorization;
    request.ctx = {
      actor: authorization ? await h.server.modules.identity.authenticate({ authorization }) : null,
      requestId: String(request.id),
      clientIp: request.ip,
      userAgent: undefined,
    };
  });
  await app.register(fileRoutes(files));

  const [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  const [technician, viewer, outsider] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    buildUser(h, { role: 'technician', site_ids: [otherSite.id] }),
  ]);
  const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const repair = await h.request({
    method: 'POST',
    url: '/repairs',
    token: technician!.token,
    payload: { machine_id: machine.id, start_datetime: '2026-11-02T08:00:00Z', description: 'Gripper jams' },
  });
  const repairId = repair.json().id as number;
  const owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();

  const as = (user: UserRecord) => ({ authorization: `Bearer ${user.token}` });
  return {
    h,
    dir,
    app,
    files,
    owner,
    technician: technician!,
    viewer: viewer!,
    outsider: outsider!,
    repairId,
    as,
    upload(user: UserRecord, filename: string, data: Buffer, id = repairId, field = 'file') {
      const body = multipart(filename, data, field);
      return app.inject({
        method: 'POST',
        url: `/repairs/${id}/attachments`,
        payload: body.payload,
        headers: { ...body.headers, ...as(user) },
      });
    },
    get: (user: UserRecord, url: string) => app.inject({ method: 'GET', url, headers: as(user) }),
    remove: (user: UserRecord, url: string) => app.inject({ method: 'DELETE', url, headers: as(user) }),
    async rowCount() {
      return Number((await owner.query('select count(*) from attachments')).rows[0].count as string);
    },
    async close() {
      await owner.end();
      await app.close();
      await h.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
export type FilesTestbed = Awaited<ReturnType<typeof createFilesTestbed>>;
