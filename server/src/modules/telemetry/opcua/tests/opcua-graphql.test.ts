import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type UserRecord,
} from '../../../../../test/factories.ts';
import { gql, gqlCode, gqlData, restShape } from '../../../../../test/graphql.ts';
import { createHarness, type Harness } from '../../../../../test/harness.ts';

/**
 * A machine's OPC-UA connection settings over GraphQL (opcua.graphql.ts) against GET/PUT/DELETE
 * /machines/{id}/opcua: twin machines saved through either door read back the same, the password is
 * never returned, the same refusals store nothing, and another site's machine stays invisible.
 * Saving only stores settings (the ingest role connects), so no OPC-UA server is needed here.
 */
let h: Harness;
let siteId: number;
let lineId: number;
let operator: UserRecord;
let manager: UserRecord;
let stranger: UserRecord;
const PASSWORD = 'plc-secret-gql-77';

const CONNECTION = `id machineId siteId endpointUrl securityMode securityPolicy username hasPassword
  cycleNodeId stateNodeId goodNodeId rejectNodeId stateMap publishingIntervalMs enabled status lastError
  statusChangedAt lastConnectedAt lastDataAt createdBy updatedBy createdAt updatedAt`;
const READ = `query Read($machineId: ID!) { opcuaConnection(machineId: $machineId) { ${CONNECTION} } }`;
const SAVE = `mutation Save($machineId: ID!, $input: OpcuaConnectionInput!) {
  saveOpcuaConnection(machineId: $machineId, input: $input) { created connection { ${CONNECTION} } }
}`;
const DELETE = `mutation Delete($machineId: ID!) { deleteOpcuaConnection(machineId: $machineId) }`;

const settings = {
  endpoint_url: 'opc.tcp://press-gql.invalid:4840/UA/Press',
  security_mode: 'SignAndEncrypt',
  security_policy: 'Basic256Sha256',
  username: 'hom',
  password: PASSWORD,
  cycle_node_id: 'ns=2;s=Press.Cycles',
  state_node_id: 'ns=2;s=Press.State',
  state_map: { '1': 'running', '0': 'stopped', '3': 'fault' },
  publishing_interval_ms: 500,
};
const asInput = (rest: Record<string, unknown>) => {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest))
    input[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return input;
};

const restGet = (machine: MachineRecord, token = h.adminToken) =>
  h.request({ method: 'GET', url: `/machines/${machine.id}/opcua`, token });
const save = (machine: MachineRecord, input: Record<string, unknown>, token = h.adminToken) =>
  gql(h, token, SAVE, { machineId: String(machine.id), input });
/** What differs between twin machines' connections: ids, the machine, and when each was written. */
const twin = (c: Record<string, unknown>) => {
  const { id: _i, machine_id: _m, status_changed_at: _s, created_at: _c, updated_at: _u, ...rest } = c;
  return rest;
};

beforeAll(async () => {
  h = await createHarness();
  siteId = (await buildSite(h)).id;
  lineId = (await buildLine(h, siteId)).id;
  operator = await buildUser(h, { role: 'operator', site_ids: [siteId] });
  manager = await buildUser(h, { role: 'manager', site_ids: [siteId] });
  stranger = await buildUser(h, { role: 'manager', site_ids: [(await buildSite(h)).id] });
});
afterAll(() => h.close());

describe('opcuaConnection and saveOpcuaConnection', () => {
  it('save and read answer what PUT and GET answer for a twin machine; the password never comes back', async () => {
    const [viaRest, viaGql] = [await buildMachine(h, lineId), await buildMachine(h, lineId)];
    const put = await h.request({
      method: 'PUT',
      url: `/machines/${viaRest.id}/opcua`,
      token: manager.token,
      payload: settings,
    });
    expect(put.statusCode, put.body).toBe(201);
    const saved = await save(viaGql, asInput(settings), manager.token);
    expect(saved.errors).toBeUndefined();
    expect(saved.data?.saveOpcuaConnection).toMatchObject({ created: true });

    const read = await gqlData<{ opcuaConnection: unknown }>(h, operator.token, READ, {
      machineId: String(viaGql.id),
    });
    const restRead = await restGet(viaGql, operator.token);
    expect(restShape(read.opcuaConnection, ['status'])).toEqual(restRead.json());
    expect(
      restShape((saved.data?.saveOpcuaConnection as { connection: unknown }).connection, ['status']),
    ).toEqual(restRead.json());
    expect(twin(restRead.json())).toEqual(twin(put.json()));
    expect(restRead.json()).toMatchObject({
      has_password: true,
      status: 'connecting',
      state_map: { '3': 'fault' },
    });
    for (const text of [JSON.stringify(saved), JSON.stringify(read)]) expect(text).not.toContain(PASSWORD);

    // Replacing without a password keeps the stored one (same user name); `created` says replaced.
    const { password: _, ...withoutPassword } = settings;
    const replaced = await save(viaGql, asInput({ ...withoutPassword, publishing_interval_ms: 2000 }));
    expect(replaced.data?.saveOpcuaConnection).toMatchObject({
      created: false,
      connection: { hasPassword: true, publishingIntervalMs: 2000 },
    });
    const audit = await h.request({
      method: 'GET',
      url: '/audit?entity=opcua_connection',
      token: h.adminToken,
    });
    expect(audit.json().items.length).toBeGreaterThanOrEqual(3);
    expect(audit.body).not.toContain(PASSWORD);
  });

  it('has no field that could return the password', async () => {
    const asked = await gql(h, h.adminToken, `{ opcuaConnection(machineId: "1") { password } }`);
    expect(asked.status).toBe(400);
    expect(asked.errors?.[0]?.extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const fields = await gqlData<{ __type: { fields: { name: string }[] } }>(
      h,
      h.adminToken,
      `{ __type(name: "OpcuaConnection") { fields { name } } }`,
    );
    expect(fields.__type.fields.map((f) => f.name).filter((name) => /password/i.test(name))).toEqual([
      'hasPassword',
    ]);
  });

  it('refuses bad settings with the field named, as PUT does, and stores nothing', async () => {
    const machine = await buildMachine(h, lineId);
    const base = { endpointUrl: 'opc.tcp://press-gql.invalid:4840', cycleNodeId: 'i=2258' };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, endpointUrl: 'http://press1:4840' }, 'VALIDATION_FAILED', 'endpoint_url'],
      [{ ...base, cycleNodeId: 'ns=2;x=Press1' }, 'VALIDATION_FAILED', 'cycle_node_id'],
      [{ endpointUrl: base.endpointUrl }, 'VALIDATION_FAILED', 'cycle_node_id'],
      [{ ...base, securityMode: 'Sign' }, 'VALIDATION_FAILED', 'security_policy'],
      [{ ...base, securityMode: 'Encrypt' }, 'VALIDATION_FAILED', 'security_mode'],
      [{ ...base, stateMap: { '1': 'busy' } }, 'VALIDATION_FAILED', 'state_map.1'],
      [{ ...base, stateMap: 'running' }, 'VALIDATION_FAILED', 'state_map'],
      [{ ...base, publishingIntervalMs: 10 }, 'VALIDATION_FAILED', 'publishing_interval_ms'],
      [{ ...base, username: 'hom', password: null }, 'VALIDATION_FAILED', 'password'],
      [{ ...base, username: 'hom' }, 'OPCUA_PASSWORD_REQUIRED', 'password'],
      [{ ...base, password: 'secret' }, 'OPCUA_PASSWORD_REQUIRED', 'username'],
    ];
    for (const [input, code, field] of cases) {
      const answer = await save(machine, input);
      const error = answer.errors?.[0];
      expect(
        [error?.extensions.code, error?.extensions.errors?.map((e) => e.field)],
        JSON.stringify(input),
      ).toEqual([code, [field]]);
      // The REST twin agrees on the code.
      const rest = asRest(input);
      const put = await h.request({
        method: 'PUT',
        url: `/machines/${machine.id}/opcua`,
        token: h.adminToken,
        payload: rest,
      });
      expect(put.json().error_code, JSON.stringify(rest)).toBe(code);
    }
    expect((await restGet(machine)).json().error_code).toBe('OPCUA_NOT_CONFIGURED');
    const missing = await gqlCode(h, h.adminToken, SAVE, { machineId: '987654', input: base });
    expect(missing.extensions.code).toBe('MACHINE_NOT_FOUND');
    const malformed = await gqlCode(h, h.adminToken, READ, { machineId: 'press-1' });
    expect(malformed.extensions).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'machine_id' }],
    });
  });
});

describe('deleteOpcuaConnection and who may do what', () => {
  it('lets telemetry:manage write, plant:read read; another site sees and changes nothing', async () => {
    const machine = await buildMachine(h, lineId);
    const input = { endpointUrl: 'opc.tcp://press-gql.invalid:4840', stateNodeId: 'ns=2;s=Press.State' };
    expect((await save(machine, input, operator.token)).errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect((await restGet(machine)).statusCode).toBe(404);
    expect((await save(machine, input, stranger.token)).errors?.[0]?.extensions.code).toBe(
      'MACHINE_NOT_FOUND',
    );
    expect((await restGet(machine)).statusCode).toBe(404);

    expect((await save(machine, input, manager.token)).errors).toBeUndefined();
    const stored = (await restGet(machine)).json();
    const hidden = await gqlCode(h, stranger.token, READ, { machineId: String(machine.id) });
    expect(hidden.extensions.code).toBe((await restGet(machine, stranger.token)).json().error_code);
    expect(hidden.extensions.code).toBe('MACHINE_NOT_FOUND');
    expect(JSON.stringify(hidden)).not.toContain('press-gql');
    for (const token of [operator.token, stranger.token]) {
      const refused = await gqlCode(h, token, DELETE, { machineId: String(machine.id) });
      expect(refused.extensions.code).toBe(token === operator.token ? 'FORBIDDEN' : 'MACHINE_NOT_FOUND');
    }
    expect((await restGet(machine)).json()).toEqual(stored);

    expect(await gqlData(h, manager.token, DELETE, { machineId: String(machine.id) })).toEqual({
      deleteOpcuaConnection: true,
    });
    const gone = await gqlCode(h, operator.token, READ, { machineId: String(machine.id) });
    expect(gone.extensions.code).toBe('OPCUA_NOT_CONFIGURED');
    expect((await restGet(machine)).json().error_code).toBe('OPCUA_NOT_CONFIGURED');
    const again = await gqlCode(h, manager.token, DELETE, { machineId: String(machine.id) });
    expect(again.extensions.code).toBe('OPCUA_NOT_CONFIGURED');
  });
});

function asRest(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
