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
import { freePort, startSimulatedMachine, type SimulatedMachine } from '../../../../../test/opcua-sim.ts';
import { SYSTEM_SCOPE } from '../../../../platform/db/database.ts';

let h: Harness;
let plain: SimulatedMachine;
let secured: SimulatedMachine;
let machine: MachineRecord;
let otherMachine: MachineRecord;
const USER = { username: 'hom', password: 'plc-secret-42' };

beforeAll(async () => {
  [h, plain, secured] = await Promise.all([
    createHarness(),
    startSimulatedMachine({ name: 'IMM-01', cycleMs: 0 }),
    startSimulatedMachine({ name: 'IMM-02', cycleMs: 0, secure: true, user: USER }),
  ]);
  const site = await buildSite(h);
  const line = await buildLine(h, site.id);
  machine = await buildMachine(h, line.id);
  otherMachine = await buildMachine(h, line.id);
}, 90_000);
afterAll(async () => {
  await Promise.all([h?.close(), plain?.stop(), secured?.stop()]);
});

const put = (machineId: number, payload: unknown, token = h.adminToken) =>
  h.request({ method: 'PUT', url: `/machines/${machineId}/opcua`, token, payload: payload as object });
const post = (machineId: number, what: 'browse' | 'test', payload: unknown = {}) =>
  h.request({
    method: 'POST',
    url: `/machines/${machineId}/opcua/${what}`,
    token: h.adminToken,
    payload: payload as object,
  });

describe('OPC-UA connection settings', () => {
  it('creates, reads, replaces and deletes a connection; the password is never returned', async () => {
    const created = await put(machine.id, {
      endpoint_url: secured.url,
      security_mode: 'SignAndEncrypt',
      security_policy: 'Basic256Sha256',
      username: USER.username,
      password: USER.password,
      cycle_node_id: secured.nodeIds.cycle,
      state_node_id: secured.nodeIds.state,
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({
      machine_id: machine.id,
      site_id: machine.site_id,
      username: 'hom',
      has_password: true,
      publishing_interval_ms: 1000,
      enabled: true,
      status: 'connecting',
      state_map: { '0': 'stopped', '1': 'running', true: 'running' },
    });
    expect(created.body).not.toContain(USER.password);
    expect(body).not.toHaveProperty('password');
    expect(body).not.toHaveProperty('password_encrypted');

    const stored = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ password_encrypted: string }>`select password_encrypted from opcua_connections
        where machine_id = ${machine.id}`.execute(tx),
    );
    const sealed = stored.rows[0]?.password_encrypted ?? '';
    expect(sealed).toMatch(/^v1\./);
    expect(sealed).not.toContain(USER.password);

    // Replacing without a password keeps the stored one (same user name).
    const replaced = await put(machine.id, {
      endpoint_url: secured.url,
      security_mode: 'SignAndEncrypt',
      security_policy: 'Basic256Sha256',
      username: USER.username,
      cycle_node_id: secured.nodeIds.cycle,
      state_node_id: secured.nodeIds.state,
      state_map: { '1': 'running', '0': 'idle', '3': 'fault' },
      publishing_interval_ms: 500,
    });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      has_password: true,
      publishing_interval_ms: 500,
      state_map: { '0': 'idle' },
    });

    const read = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
    });
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(USER.password);

    const audit = await h.request({
      method: 'GET',
      url: '/audit?entity=opcua_connection',
      token: h.adminToken,
    });
    expect(audit.body).not.toContain(USER.password);
    expect(audit.body).not.toContain(sealed);

    const removed = await h.request({
      method: 'DELETE',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
    });
    expect(removed.statusCode).toBe(204);
    const gone = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/opcua`,
      token: h.adminToken,
    });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error_code).toBe('OPCUA_NOT_CONFIGURED');
  });

  it('refuses bad settings with a message per field and stores nothing', async () => {
    const cases: [unknown, string][] = [
      [{ endpoint_url: 'http://press1:4840', cycle_node_id: 'i=2258' }, 'endpoint_url'],
      [{ endpoint_url: plain.url, cycle_node_id: 'ns=2;x=Press1' }, 'cycle_node_id'],
      [{ endpoint_url: plain.url, cycle_node_id: 'ns=99999999;s=A' }, 'cycle_node_id'],
      [{ endpoint_url: plain.url, cycle_node_id: 'i=99999999999' }, 'cycle_node_id'],
      [{ endpoint_url: plain.url }, 'cycle_node_id'],
      [{ endpoint_url: plain.url, cycle_node_id: 'i=2258', security_mode: 'Sign' }, 'security_policy'],
      [
        { endpoint_url: plain.url, cycle_node_id: 'i=2258', security_policy: 'Basic256Sha256' },
        'security_policy',
      ],
      [{ endpoint_url: plain.url, cycle_node_id: 'i=2258', security_mode: 'Encrypt' }, 'security_mode'],
      [{ endpoint_url: plain.url, state_node_id: 'i=2258', state_map: { '1': 'busy' } }, 'state_map'],
      [
        { endpoint_url: plain.url, cycle_node_id: 'i=2258', publishing_interval_ms: 10 },
        'publishing_interval_ms',
      ],
      [{ endpoint_url: plain.url, cycle_node_id: 'i=2258', color: 'red' }, 'body'],
    ];
    for (const [payload, field] of cases) {
      const response = await put(otherMachine.id, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      expect(response.json().message, JSON.stringify(payload)).toContain(field);
    }
    // A user name needs its password the first time.
    const noPassword = await put(otherMachine.id, {
      endpoint_url: plain.url,
      cycle_node_id: 'i=2258',
      username: 'x',
    });
    expect(noPassword.statusCode).toBe(422);
    expect(noPassword.json()).toMatchObject({
      error_code: 'OPCUA_PASSWORD_REQUIRED',
      errors: [{ field: 'password' }],
    });

    const none = await h.request({
      method: 'GET',
      url: `/machines/${otherMachine.id}/opcua`,
      token: h.adminToken,
    });
    expect(none.statusCode).toBe(404);
    const unknownMachine = await put(987_654, { endpoint_url: plain.url, cycle_node_id: 'i=2258' });
    expect(unknownMachine.statusCode).toBe(404);
  });

  it('lets only telemetry:manage write and browse; plant:read reads', async () => {
    const operator = await buildUser(h, { role: 'operator', site_ids: [machine.site_id] });
    const denied = await put(
      otherMachine.id,
      { endpoint_url: plain.url, cycle_node_id: 'i=2258' },
      operator.token,
    );
    expect(denied.statusCode).toBe(403);
    const browse = await h.request({
      method: 'POST',
      url: `/machines/${otherMachine.id}/opcua/browse`,
      token: operator.token,
      payload: { endpoint: { endpoint_url: plain.url } },
    });
    expect(browse.statusCode).toBe(403);
    const manager = await buildUser(h, { role: 'manager', site_ids: [machine.site_id] });
    const allowed = await put(
      otherMachine.id,
      { endpoint_url: plain.url, cycle_node_id: plain.nodeIds.cycle },
      manager.token,
    );
    expect(allowed.statusCode, allowed.body).toBe(201);
    const read = await h.request({
      method: 'GET',
      url: `/machines/${otherMachine.id}/opcua`,
      token: operator.token,
    });
    expect(read.statusCode).toBe(200);
    const stranger = await buildUser(h, { role: 'manager', site_ids: [(await buildSite(h)).id] });
    const hidden = await h.request({
      method: 'GET',
      url: `/machines/${otherMachine.id}/opcua`,
      token: stranger.token,
    });
    expect(hidden.statusCode).toBe(404);
  });
});

describe('browsing and testing an OPC-UA server', () => {
  it('browses the Objects folder, then the machine folder with its variables and values', async () => {
    const objects = await post(machine.id, 'browse', { endpoint: { endpoint_url: plain.url } });
    expect(objects.statusCode, objects.body).toBe(200);
    const folder = objects
      .json()
      .children.find((child: { node_id: string }) => child.node_id === plain.nodeIds.folder);
    expect(folder).toMatchObject({ node_class: 'Object', display_name: 'IMM-01', has_children: true });
    expect(objects.json().children.map((child: { browse_name: string }) => child.browse_name)).toContain(
      'Server',
    );

    const expanded = await post(machine.id, 'browse', {
      endpoint: { endpoint_url: plain.url },
      node_id: plain.nodeIds.folder,
    });
    expect(expanded.statusCode, expanded.body).toBe(200);
    const children = expanded.json().children as {
      node_id: string;
      node_class: string;
      data_type: string;
      value: unknown;
    }[];
    expect(children).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          node_id: plain.nodeIds.cycle,
          node_class: 'Variable',
          data_type: 'UInt32',
          value: 0,
        }),
        expect.objectContaining({
          node_id: plain.nodeIds.state,
          node_class: 'Variable',
          data_type: 'Int32',
          value: 1,
        }),
      ]),
    );
    const unknown = await post(machine.id, 'browse', {
      endpoint: { endpoint_url: plain.url },
      node_id: 'ns=1;s=Nope',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error_code).toBe('OPCUA_NODE_UNKNOWN');
  });

  it('browses a secured server with user and password, and uses the stored password', async () => {
    const endpoint = {
      endpoint_url: secured.url,
      security_mode: 'SignAndEncrypt',
      security_policy: 'Basic256Sha256',
      username: USER.username,
      password: USER.password,
    };
    const browsed = await post(machine.id, 'browse', { endpoint, node_id: secured.nodeIds.folder });
    expect(browsed.statusCode, browsed.body).toBe(200);
    expect(browsed.json().children).toHaveLength(4);

    const saved = await put(machine.id, {
      ...endpoint,
      cycle_node_id: secured.nodeIds.cycle,
      state_node_id: secured.nodeIds.state,
      good_node_id: 'ns=1;s=IMM-02.Missing',
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const stored = await post(machine.id, 'browse', { node_id: secured.nodeIds.folder });
    expect(stored.statusCode, stored.body).toBe(200);

    const tested = await post(machine.id, 'test');
    expect(tested.statusCode, tested.body).toBe(200);
    expect(tested.json()).toMatchObject({
      security_mode: 'SignAndEncrypt',
      nodes: [
        { role: 'cycle', ok: true, value: 0, data_type: 'UInt32' },
        { role: 'state', ok: true, value: 1, state: 'running' },
        { role: 'good', ok: false, status: 'BadNodeIdUnknown' },
      ],
    });
  });

  it('says what failed: unreachable endpoint, security not offered, credentials refused', async () => {
    const closed = `opc.tcp://127.0.0.1:${await freePort()}/UA/Nothing`;
    const unreachable = await post(machine.id, 'browse', { endpoint: { endpoint_url: closed } });
    expect(unreachable.statusCode).toBe(502);
    expect(unreachable.json()).toMatchObject({ error_code: 'OPCUA_ENDPOINT_UNREACHABLE' });
    expect(unreachable.json().message).toContain('Cannot reach');

    const security = await post(machine.id, 'browse', {
      endpoint: { endpoint_url: plain.url, security_mode: 'Sign', security_policy: 'Aes128_Sha256_RsaOaep' },
    });
    expect(security.statusCode).toBe(502);
    expect(security.json()).toMatchObject({ error_code: 'OPCUA_SECURITY_REJECTED' });

    const anonymous = await post(machine.id, 'browse', { endpoint: { endpoint_url: secured.url } });
    expect(anonymous.statusCode).toBe(502);
    expect(anonymous.json()).toMatchObject({ error_code: 'OPCUA_CREDENTIALS_REJECTED' });
    expect(anonymous.json().message).toContain('anonymous');

    const wrong = await post(machine.id, 'test', {
      endpoint: { endpoint_url: secured.url, username: USER.username, password: 'wrong' },
      cycle_node_id: secured.nodeIds.cycle,
    });
    expect(wrong.statusCode).toBe(502);
    expect(wrong.json()).toMatchObject({ error_code: 'OPCUA_CREDENTIALS_REJECTED' });
    expect(wrong.json().message).toContain('"hom"');
  });
});
