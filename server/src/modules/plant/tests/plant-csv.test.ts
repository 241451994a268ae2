import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type SiteRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { registerAccessGuard } from '../../../platform/http/access.ts';
import { registerBodyParsers } from '../../../platform/http/body.ts';
import { registerErrorHandling } from '../../../platform/http/error-handler.ts';
import { createPlantCsvService, plantCsvRoutes } from '../index.ts';

const HEADER =
  'line_code,line_name,line_status,machine_code,machine_name,asset_number,serial_number,manufacturer,model,machine_type,machine_status,criticality,commissioned_on,notes,is_active';

let h: Harness;
let app: FastifyInstance;
let site: SiteRecord;
let otherSite: SiteRecord;
beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h, { code: 'CSV1' }), buildSite(h)]);
  // The app as modules.ts will wire it: same parsers, access guard and errors, the routes in a zod scope.
  app = Fastify();
  registerErrorHandling(app);
  await registerBodyParsers(app);
  registerAccessGuard(app, []);
  app.addHook('onRequest', async (request) => {
    const { authorization } = request.headers;
    const actor = authorization ? await h.server.modules.identity.authenticate({ authorization }) : null;
    request.ctx = { actor, requestId: 'plant-csv-test', clientIp: '127.0.0.1', userAgent: undefined };
  });
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    await scope.register(plantCsvRoutes(createPlantCsvService({ db: h.db })));
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await h.close();
});

type Send = { token?: string; siteId?: number; raw?: boolean; contentType?: string };
function upload(target: Pick<FastifyInstance, 'inject'>, body: string | Buffer, options: Send = {}) {
  const { token = h.adminToken, siteId = site.id } = options;
  const url = `/plant/import?site_id=${siteId}`;
  const authorization = `Bearer ${token}`;
  if (options.raw || options.contentType) {
    const contentType = options.contentType ?? 'text/csv; charset=utf-8';
    return target.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { authorization, 'content-type': contentType },
    });
  }
  const boundary = 'hom-csv-test-boundary';
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="plant.csv"\r\nContent-Type: text/csv\r\n\r\n`,
    ),
    Buffer.from(body),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const headers = { authorization, 'content-type': `multipart/form-data; boundary=${boundary}` };
  return target.inject({ method: 'POST', url, payload, headers });
}

const exportOf = (
  target: Pick<FastifyInstance, 'inject'>,
  query = `site_id=${site.id}`,
  token = h.adminToken,
) =>
  target.inject({
    method: 'GET',
    url: `/plant/export.csv?${query}`,
    headers: { authorization: `Bearer ${token}` },
  });

async function machinesOf(siteId: number) {
  const response = await h.request({
    method: 'GET',
    url: `/machines?site_id=${siteId}&include_inactive=true`,
    token: h.adminToken,
  });
  return response.json() as { code: string; line_id: number; name: string; notes: string | null }[];
}

describe('POST /plant/import', () => {
  it('creates 3 lines and 10 machines, and audits each', async () => {
    const rows = Array.from({ length: 10 }, (_, i) => {
      const line = `NEW-L${(i % 3) + 1}`;
      return `${line},Line ${line},working,NEW-M${i},Machine ${i},A-${i},,Engel,e-mac,press,operational,${'ABC'[i % 3]},2020-01-0${(i % 9) + 1},,true`;
    });
    const response = await upload(app, [HEADER, ...rows].join('\n'));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      lines_created: 3,
      lines_updated: 0,
      machines_created: 10,
      machines_updated: 0,
      rows: 10,
    });
    const machines = (await machinesOf(site.id)).filter((m) => m.code.startsWith('NEW-M'));
    expect(machines).toHaveLength(10);
    const audit = await h.request({ method: 'GET', url: '/audit?entity=machine', token: h.adminToken });
    expect(audit.json().items.filter((e: { action: string }) => e.action === 'import_create')).toHaveLength(
      10,
    );
  });

  it('writes nothing when one row of 50 is wrong, and names its row and column', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `BAD-L,Bad line,,BAD-M${i},Machine ${i}`);
    rows[36] = 'BAD-L,Bad line,,BAD-M36,Machine 36,,,,,,,Z';
    const response = await upload(app, [HEADER, ...rows].join('\n'));
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      error_code: 'VALIDATION_FAILED',
      errors: [{ field: 'row 38: criticality', message: expect.any(String) }],
    });
    expect((await machinesOf(site.id)).some((m) => m.code.startsWith('BAD-'))).toBe(false);
  });

  it('names both rows of a machine code given twice, and a line with two names', async () => {
    const file = [HEADER, 'DUP-L,One,,DUP-1,First', 'DUP-L,Two,,DUP-2,Second', 'DUP-X,X,,dup-1,Again'];
    const response = await upload(app, file.join('\n'));
    expect(response.statusCode).toBe(422);
    expect(response.json().errors).toEqual([
      { field: 'row 3: line_name', message: 'line "DUP-L" has line_name "One" on row 2' },
      { field: 'row 4: machine_code', message: expect.stringContaining('also on row 2') },
    ]);
  });

  it('reads a semicolon file with a BOM and CRLF, numbering rows after a multi-line cell', async () => {
    const file = `\uFEFF${HEADER.toUpperCase().replaceAll(',', ';')}\r\nSEMI-L;Semi;;SEMI-1;"Name; with\r\nbreak"\r\nSEMI-L;Semi;;SEMI-2;Two;;;;;;;;31.12.2020\r\n`;
    const bad = await upload(app, file, { raw: true });
    expect(bad.json().errors).toEqual([
      { field: 'row 4: commissioned_on', message: 'a date like 2024-03-31' },
    ]);
    const good = await upload(app, file.replace('31.12.2020', '2020-12-31'), { raw: true });
    expect(good.json()).toMatchObject({ lines_created: 1, machines_created: 2, rows: 2 });
    const named = (await machinesOf(site.id)).find((m) => m.code === 'SEMI-1');
    expect(named?.name).toBe('Name; with\r\nbreak');
  });

  it('moves a machine to the line the file gives it and updates changed fields only', async () => {
    const from = await buildLine(h, site.id, { code: 'MOVE-A' });
    await buildLine(h, site.id, { code: 'MOVE-B', name: 'B' });
    const machine = await buildMachine(h, from.id, { code: 'MOVE-1', name: 'Mover' });
    const response = await upload(
      app,
      `line_code,line_name,machine_code,machine_name\nMOVE-B,B,move-1,Mover`,
    );
    expect(response.json()).toMatchObject({ lines_created: 0, lines_updated: 0, machines_updated: 1 });
    const moved = (await machinesOf(site.id)).find((m) => m.code === 'move-1');
    expect(moved?.line_id).not.toBe(machine.line_id);
  });

  it('answers 415, 422 and 400 to a wrong type, an empty file and one not in UTF-8', async () => {
    const json = await upload(app, '{"a":1}', { contentType: 'application/json' });
    expect(json.statusCode).toBe(415);
    expect((await upload(app, 'x', { contentType: 'application/xml' })).statusCode).toBe(415);
    const empty = await upload(app, '\uFEFF');
    expect(empty.statusCode).toBe(422);
    expect(empty.json().message).toContain('The file is empty');
    const latin1 = await upload(app, Buffer.from(`${HEADER}\nL1,Fräsen\n`, 'latin1'));
    expect(latin1.statusCode).toBe(400);
    expect((await upload(app, HEADER, { siteId: 999_999 })).statusCode).toBe(404);
  });

  it('lists at most 200 problems and says how many more there are', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `-bad${i},`);
    const response = await upload(app, ['line_code,line_name', ...rows].join('\n'));
    expect(response.json().errors).toHaveLength(200);
    expect(response.json().message).toContain('500 problems (the first 200 are listed, 300 more are not)');
  });

  it('refuses a manager of another site and a viewer of this one', async () => {
    const [outsider, viewer] = await Promise.all([
      buildUser(h, { role: 'manager', site_ids: [otherSite.id] }),
      buildUser(h, { role: 'viewer', site_ids: [site.id] }),
    ]);
    const file = `${HEADER}\nSEC-L,Secret`;
    expect((await upload(app, file, { token: outsider.token })).statusCode).toBe(403);
    expect((await exportOf(app, undefined, outsider.token)).statusCode).toBe(403);
    expect((await upload(app, file, { token: viewer.token })).statusCode).toBe(403);
    expect((await exportOf(app, undefined, viewer.token)).statusCode).toBe(200);
  });
});

describe('GET /plant/export.csv', () => {
  it('exports what imports back unchanged, quoting and defusing formula-like cells', async () => {
    const line = await buildLine(h, site.id, { code: 'RT-1', name: 'Round, "trip"' });
    await buildLine(h, site.id, { code: 'RT-EMPTY', name: '@empty', notes: 'a line without machines' });
    await buildMachine(h, line.id, {
      code: 'RT-M1',
      name: '=HYPERLINK("http://evil")',
      notes: "first line\nsecond, with comma; and 'quote'",
      manufacturer: "'=already quoted",
      commissioned_on: '2021-06-30',
    });
    const response = await exportOf(app);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="plant-CSV1-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(response.body.startsWith(`\uFEFF${HEADER}\r\n`)).toBe(true);
    expect(response.body).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(response.body).toContain("RT-EMPTY,'@empty,working,,,,,,,,,,,a line without machines,true");
    expect(response.body).toContain(`''=already quoted`);

    const again = await upload(app, response.rawPayload);
    expect(again.json()).toMatchObject({
      lines_created: 0,
      lines_updated: 0,
      machines_created: 0,
      machines_updated: 0,
    });
    const machine = (await machinesOf(site.id)).find((m) => m.code === 'RT-M1');
    expect(machine?.name).toBe('=HYPERLINK("http://evil")');
  });

  it('needs a site when the caller has more than one', async () => {
    expect((await exportOf(app, '')).json()).toMatchObject({ error_code: 'SITE_REQUIRED' });
    const manager = await buildUser(h, { role: 'manager', site_ids: [otherSite.id] });
    expect((await exportOf(app, '', manager.token)).statusCode).toBe(200);
  });
});

// Through the real app (h.app): passes once modules.ts registers plantCsvRoutes.
describe('through the app (needs the routes wired in modules.ts)', () => {
  it('imports and exports through the app (h.app)', async () => {
    const fresh = await buildSite(h, { code: 'CSV2' });
    const created = await upload(h.app, `${HEADER}\nAPP-L,App,,APP-1,One`, { siteId: fresh.id });
    expect(created.json()).toMatchObject({ lines_created: 1, machines_created: 1 });
    const exported = await exportOf(h.app, `site_id=${fresh.id}`);
    expect(exported.body).toContain('APP-L,App,working,APP-1,One,,,,,,operational,B,,,true');
  });
});
