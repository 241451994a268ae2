import { createHash, X509Certificate } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
} from '../../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../../test/harness.ts';
import { startSimulatedMachine, type SimulatedMachine } from '../../../../../test/opcua-sim.ts';
import { SYSTEM_SCOPE } from '../../../../platform/db/database.ts';

/**
 * HOM's OPC-UA certificate store over REST, against a real node-opcua server that offers
 * SignAndEncrypt: the server's certificate is trusted on first sight, a rejected one makes HOM refuse
 * the server, trusting it again lets HOM in; HOM's own certificate is there to download.
 */
let h: Harness;
let secured: SimulatedMachine;
let machine: MachineRecord;
let thumbprint: string;

beforeAll(async () => {
  [h, secured] = await Promise.all([
    createHarness(),
    startSimulatedMachine({ name: 'IMM-CERT', cycleMs: 0, secure: true }),
  ]);
  machine = await buildMachine(h, (await buildLine(h, (await buildSite(h)).id)).id);
  thumbprint = createHash('sha1').update(secured.certificate()).digest('hex');
}, 90_000);
afterAll(async () => {
  await Promise.all([h?.close(), secured?.stop()]);
});

const signAndEncrypt = () => ({
  endpoint: {
    endpoint_url: secured.url,
    security_mode: 'SignAndEncrypt',
    security_policy: 'Basic256Sha256',
  },
  cycle_node_id: secured.nodeIds.cycle,
});
const test = () =>
  h.request({
    method: 'POST',
    url: `/machines/${machine.id}/opcua/test`,
    token: h.adminToken,
    payload: signAndEncrypt(),
  });
const list = async (token = h.adminToken) => {
  const response = await h.request({ method: 'GET', url: '/opcua/certificates', token });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    own: { thumbprint: string; subject: string; pem: string; status: string } | null;
    servers: { thumbprint: string; status: string; application_uri: string | null; valid_to: string }[];
  };
};
const ours = async () => (await list()).servers.find((c) => c.thumbprint === thumbprint);
const move = (action: 'trust' | 'reject', token = h.adminToken, print = thumbprint) =>
  h.request({ method: 'POST', url: `/opcua/certificates/${print}/${action}`, token });

describe('OPC-UA certificates', () => {
  it("trusts a server's certificate on first sight and lists HOM's own, to download", async () => {
    const first = await test();
    expect(first.statusCode, first.body).toBe(200);
    const server = await ours();
    expect(server).toMatchObject({ status: 'trusted', application_uri: expect.stringMatching(/^urn:/) });
    expect(Date.parse(server?.valid_to ?? '')).toBeGreaterThan(Date.now());

    const { own } = await list();
    expect(own?.status).toBe('own');
    const pem = await h.request({ method: 'GET', url: '/opcua/certificates/own.pem', token: h.adminToken });
    expect(pem.statusCode).toBe(200);
    expect(pem.headers['content-type']).toContain('application/x-pem-file');
    expect(pem.headers['content-disposition']).toContain('hom-opcua-client.pem');
    // The PEM is the certificate listed (the same thumbprint), and a certificate an X.509 parser reads.
    const parsed = new X509Certificate(pem.body);
    expect(parsed.fingerprint.replaceAll(':', '').toLowerCase()).toBe(own?.thumbprint);
    expect(own?.pem).toBe(pem.body);
  });

  it('refuses a rejected server until it is trusted again, and keeps who did it in the audit log', async () => {
    const rejected = await move('reject');
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ thumbprint, status: 'rejected' });
    expect((await ours())?.status).toBe('rejected');

    const refused = await test();
    expect(refused.statusCode, refused.body).toBe(502);
    expect(refused.json()).toMatchObject({ error_code: 'OPCUA_SECURITY_REJECTED' });
    expect(refused.json().message).toMatch(/^HOM does not trust the certificate of opc\.tcp:/);

    const trusted = await move('trust');
    expect(trusted.statusCode, trusted.body).toBe(200);
    expect((await ours())?.status).toBe('trusted');
    expect((await test()).statusCode).toBe(200);

    const audit = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ before: { status: string }; after: { status: string } }>`select before, after from audit_log
        where entity = 'opcua_certificate' and entity_id = ${thumbprint} order by id`.execute(tx),
    );
    expect(audit.rows.map((r) => [r.before.status, r.after.status])).toEqual([
      ['trusted', 'rejected'],
      ['rejected', 'trusted'],
    ]);
  });

  it('lets only a manager of all sites change the store, and says what is wrong with a thumbprint', async () => {
    const siteManager = await buildUser(h, { role: 'manager', site_ids: [machine.site_id] });
    const viewer = await buildUser(h, { role: 'viewer', site_ids: [machine.site_id] });
    expect((await list(siteManager.token)).servers.length).toBeGreaterThan(0);
    const limited = await move('reject', siteManager.token);
    expect(limited.statusCode).toBe(403);
    expect(limited.json().message).toMatch(/shared by every site/);
    expect(
      (await h.request({ method: 'GET', url: '/opcua/certificates', token: viewer.token })).statusCode,
    ).toBe(403);
    expect((await move('reject', viewer.token)).statusCode).toBe(403);
    expect((await ours())?.status).toBe('trusted');

    const unknown = await move('reject', h.adminToken, '0'.repeat(40));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error_code: 'OPCUA_CERTIFICATE_UNKNOWN' });
    const malformed = await move('reject', h.adminToken, 'not-a-thumbprint');
    expect(malformed.statusCode).toBe(422);
    expect(malformed.body).toMatch(/40 hexadecimal digits/);
  });
});
