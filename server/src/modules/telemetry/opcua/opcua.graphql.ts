import { withAccess } from '../../../platform/graphql/access.ts';
import type { Builder } from '../../../platform/graphql/builder.ts';
import { snakeCase } from '../../../platform/graphql/input.ts';
import { parseInput } from '../../../platform/validation.ts';
import * as dto from './opcua.dto.ts';
import type { OpcuaService } from './opcua.service.ts';

type Status = Uppercase<dto.ConnectionStatus>;
const machineOf = (value: unknown) => parseInput(dto.machineParam, { machine_id: value }).machine_id;

/**
 * A machine's OPC-UA connection settings over GraphQL (docs/opcua.md): `opcuaConnection`,
 * `saveOpcuaConnection` and `deleteOpcuaConnection`, the same service, DTOs and permissions as
 * GET/PUT/DELETE /machines/{id}/opcua. The password is write-only: no type has a field for it.
 * Browse and test talk to the machine's server for seconds and stay REST only.
 */
export function registerOpcuaGraphql(builder: Builder, opcua: OpcuaService) {
  const Status = builder.enumType('OpcuaConnectionStatus', {
    values: dto.CONNECTION_STATUSES.map((status) => status.toUpperCase() as Status),
  });
  const Connection = builder.objectRef<dto.ConnectionOutput>('OpcuaConnection').implement({
    description: 'What HOM subscribes to on the machine, and what the ingest process last saw of it',
    fields: (t) => ({
      id: t.exposeID('id'),
      machineId: t.id({ resolve: (c) => c.machine_id }),
      siteId: t.id({ resolve: (c) => c.site_id }),
      endpointUrl: t.string({ resolve: (c) => c.endpoint_url }),
      securityMode: t.string({
        description: 'None, Sign or SignAndEncrypt',
        resolve: (c) => c.security_mode,
      }),
      securityPolicy: t.string({
        description: 'e.g. None, Basic256Sha256',
        resolve: (c) => c.security_policy,
      }),
      username: t.string({ nullable: true, description: 'Null: anonymous', resolve: (c) => c.username }),
      hasPassword: t.boolean({
        description: 'A password is stored (it is never returned)',
        resolve: (c) => c.has_password,
      }),
      cycleNodeId: t.string({ nullable: true, resolve: (c) => c.cycle_node_id }),
      stateNodeId: t.string({ nullable: true, resolve: (c) => c.state_node_id }),
      goodNodeId: t.string({ nullable: true, resolve: (c) => c.good_node_id }),
      rejectNodeId: t.string({ nullable: true, resolve: (c) => c.reject_node_id }),
      stateMap: t.field({
        type: 'JSON',
        description: 'Raw value as text → HOM state, e.g. {"1": "running", "3": "fault"}',
        resolve: (c) => c.state_map,
      }),
      publishingIntervalMs: t.int({ resolve: (c) => c.publishing_interval_ms }),
      enabled: t.exposeBoolean('enabled'),
      status: t.field({ type: Status, resolve: (c) => c.status.toUpperCase() as Status }),
      lastError: t.string({ nullable: true, resolve: (c) => c.last_error }),
      statusChangedAt: t.field({ type: 'DateTime', resolve: (c) => c.status_changed_at }),
      lastConnectedAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.last_connected_at }),
      lastDataAt: t.field({ type: 'DateTime', nullable: true, resolve: (c) => c.last_data_at }),
      createdBy: t.id({ nullable: true, resolve: (c) => c.created_by }),
      updatedBy: t.id({ nullable: true, resolve: (c) => c.updated_by }),
      createdAt: t.field({ type: 'DateTime', resolve: (c) => c.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (c) => c.updated_at }),
    }),
  });
  const Saved = builder
    .objectRef<{ created: boolean; connection: dto.ConnectionOutput }>('OpcuaConnectionSaved')
    .implement({
      fields: (t) => ({
        created: t.boolean({
          description: 'True: new (REST 201); false: replaced',
          resolve: (s) => s.created,
        }),
        connection: t.field({ type: Connection, resolve: (s) => s.connection }),
      }),
    });
  const Input = builder.inputType('OpcuaConnectionInput', {
    description: 'The whole connection (a save replaces it); validated as PUT /machines/{id}/opcua',
    fields: (t) => ({
      endpointUrl: t.string({ required: true, description: 'opc.tcp://host:4840' }),
      securityMode: t.string({ description: 'None (default), Sign or SignAndEncrypt' }),
      securityPolicy: t.string({ description: 'None (default), Basic256Sha256, …' }),
      username: t.string({ description: 'Null or absent: anonymous' }),
      password: t.string({ description: 'Write-only; absent keeps the stored one for the same user name' }),
      cycleNodeId: t.string(),
      stateNodeId: t.string(),
      goodNodeId: t.string(),
      rejectNodeId: t.string(),
      stateMap: t.field({ type: 'JSON', description: 'Absent: the default map' }),
      publishingIntervalMs: t.int({ description: '50 – 60000, default 1000' }),
      enabled: t.boolean({ description: 'Default true' }),
    }),
  });

  builder.queryFields((t) => ({
    opcuaConnection: t.field({
      type: Connection,
      description: 'The OPC-UA connection of a machine (none: OPCUA_NOT_CONFIGURED)',
      args: { machineId: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'plant:read' }, (_p, args: { machineId: unknown }, c) =>
        opcua.get(c.caller, machineOf(args.machineId)),
      ),
    }),
  }));

  const manage = { permission: 'telemetry:manage' };
  builder.mutationFields((t) => ({
    saveOpcuaConnection: t.field({
      type: Saved,
      description: 'Creates or replaces the machine’s OPC-UA connection; the ingest processes pick it up',
      args: {
        machineId: t.arg.id({ required: true }),
        input: t.arg({ type: Input, required: true }),
      },
      ...withAccess(manage, (_p, args: { machineId: unknown; input: Record<string, unknown> }, c) =>
        opcua.put(
          c.caller,
          machineOf(args.machineId),
          parseInput(dto.connectionInput, snakeCase(withoutNulls(args.input))),
        ),
      ),
    }),
    deleteOpcuaConnection: t.boolean({
      description: 'Removes the OPC-UA connection (HOM unsubscribes)',
      args: { machineId: t.arg.id({ required: true }) },
      ...withAccess(manage, async (_p, args: { machineId: unknown }, c) => {
        await opcua.remove(c.caller, machineOf(args.machineId));
        return true;
      }),
    }),
  }));
}

/** Fields with a default: null there means "not given" (a null password is refused, as in REST). */
const DEFAULTED = ['securityMode', 'securityPolicy', 'stateMap', 'publishingIntervalMs', 'enabled'];
function withoutNulls(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).filter(([key, value]) => !(value === null && DEFAULTED.includes(key))),
  );
}
