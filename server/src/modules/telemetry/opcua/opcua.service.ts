import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../../platform/auth/actor.ts';
import type { Database, Tx } from '../../../platform/db/database.ts';
import { recordChange } from '../../audit/index.ts';
import { machineNotFound, machineRecords } from '../../plant/index.ts';
import { browseChildren, OBJECTS_FOLDER, readConfiguredNodes } from './opcua.browse.ts';
import { withSession, type EndpointSettings } from './opcua.client.ts';
import type {
  BrowseInput,
  BrowseOutput,
  ConnectionInput,
  ConnectionOutput,
  EndpointInput,
  NodeRole,
  TestInput,
  TestOutput,
} from './opcua.dto.ts';
import { opcuaNotConfigured, opcuaPasswordRequired } from './opcua.errors.ts';
import * as connections from './opcua.repository.ts';
import type { ConnectionRow } from './opcua.repository.ts';
import type { PasswordBox } from './opcua.secret.ts';
import { DEFAULT_STATE_MAP } from './opcua.values.ts';

const MANAGE = 'telemetry:manage';

export function toOutput(row: ConnectionRow): ConnectionOutput {
  const { password_encrypted: sealed, state_map: stateMap, ...rest } = row;
  return { ...rest, has_password: sealed !== null, state_map: stateMap as ConnectionOutput['state_map'] };
}

/**
 * OPC-UA connection settings per machine (who may: telemetry:manage writes, plant:read reads), and the
 * two tools an admin configures with: browsing the server's address space and a one-off test read.
 * Neither holds a database transaction while it talks to the server.
 */
export function createOpcuaService(deps: {
  db: Pick<Database, 'transaction'>;
  passwords: PasswordBox;
  pkiDir: string;
  /** How long a browse or test may take in all (connect, session, reads). */
  timeoutMs: number;
}) {
  const { db, passwords } = deps;
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  async function machineOrThrow(tx: Tx, machineId: number) {
    const machine = await machineRecords.find(tx, machineId);
    if (!machine) throw machineNotFound(`No machine with id ${machineId}`);
    return machine;
  }

  async function connectionOrThrow(tx: Tx, machineId: number, lock = false): Promise<ConnectionRow> {
    await machineOrThrow(tx, machineId);
    const row = await connections.findByMachine(tx, machineId, lock);
    if (!row) throw opcuaNotConfigured(`Machine ${machineId} has no OPC-UA connection`);
    return row;
  }

  /** The password to use: the one given, else the stored one when the user name is the same. */
  function passwordFor(
    machineId: number,
    username: string | null,
    given: string | undefined,
    stored: ConnectionRow | undefined,
  ): string | null {
    if (username === null) {
      if (given !== undefined) {
        throw opcuaPasswordRequired(
          'A password needs a user name (or leave both empty for anonymous access)',
          {
            errors: [{ field: 'username', message: 'required with a password' }],
          },
        );
      }
      return null;
    }
    if (given !== undefined) return given;
    if (stored?.username === username && stored.password_encrypted !== null) {
      return passwords.open(machineId, stored.password_encrypted);
    }
    throw opcuaPasswordRequired(`Give the password of OPC-UA user "${username}"`, {
      errors: [{ field: 'password', message: 'required for a new user name' }],
    });
  }

  /** Endpoint settings for a browse or test: the ones sent, else the stored connection's. */
  async function settingsFor(
    ctx: AuthedContext,
    machineId: number,
    endpoint: EndpointInput | undefined,
  ): Promise<{ settings: EndpointSettings; stored: ConnectionRow | undefined }> {
    const stored = await db.transaction(scopeOf(ctx), async (tx) => {
      await machineOrThrow(tx, machineId);
      return connections.findByMachine(tx, machineId);
    });
    if (endpoint) {
      const username = endpoint.username ?? null;
      return {
        stored,
        settings: {
          endpoint_url: endpoint.endpoint_url,
          security_mode: endpoint.security_mode,
          security_policy: endpoint.security_policy,
          username,
          password: passwordFor(machineId, username, endpoint.password, stored),
        },
      };
    }
    if (!stored) {
      throw opcuaNotConfigured(
        `Machine ${machineId} has no OPC-UA connection yet: send the endpoint settings to browse or test`,
      );
    }
    return {
      stored,
      settings: {
        endpoint_url: stored.endpoint_url,
        security_mode: stored.security_mode,
        security_policy: stored.security_policy,
        username: stored.username,
        password: stored.password_encrypted ? passwords.open(machineId, stored.password_encrypted) : null,
      },
    };
  }

  const session = { pkiDir: deps.pkiDir, timeoutMs: deps.timeoutMs };

  return {
    get(request: RequestContext, machineId: number): Promise<ConnectionOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) => toOutput(await connectionOrThrow(tx, machineId)));
    },

    /** Creates or replaces the machine's connection; the ingest processes pick it up within seconds. */
    put(
      request: RequestContext,
      machineId: number,
      input: ConnectionInput,
    ): Promise<{ created: boolean; connection: ConnectionOutput }> {
      const ctx = requirePermission(request, MANAGE);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await machineOrThrow(tx, machineId);
        const stored = await connections.findByMachine(tx, machineId, true);
        const username = input.username ?? null;
        const password = passwordFor(machineId, username, input.password, stored);
        const values: connections.ConnectionValues = {
          endpoint_url: input.endpoint_url,
          security_mode: input.security_mode,
          security_policy: input.security_policy,
          username,
          password_encrypted:
            password === null
              ? null
              : input.password === undefined && stored?.password_encrypted
                ? stored.password_encrypted
                : passwords.seal(machineId, password),
          cycle_node_id: input.cycle_node_id ?? null,
          state_node_id: input.state_node_id ?? null,
          good_node_id: input.good_node_id ?? null,
          reject_node_id: input.reject_node_id ?? null,
          state_map: input.state_map ?? { ...DEFAULT_STATE_MAP },
          publishing_interval_ms: input.publishing_interval_ms,
          enabled: input.enabled,
        };
        if (stored) await connections.updateConnection(tx, machineId, { ...values, updated_by: userOf(ctx) });
        else {
          await connections.insertConnection(tx, {
            ...values,
            site_id: machine.site_id,
            machine_id: machineId,
            created_by: userOf(ctx),
          });
        }
        await connections.notifyConfigChanged(tx, machineId);
        const after = toOutput(await connectionOrThrow(tx, machineId));
        await recordChange(tx, ctx, {
          action: stored ? 'update' : 'create',
          entity: 'opcua_connection',
          entityId: machineId,
          siteId: machine.site_id,
          ...(stored ? { before: toOutput(stored) } : {}),
          after: { ...after, password_changed: input.password !== undefined },
        });
        return { created: !stored, connection: after };
      });
    },

    remove(request: RequestContext, machineId: number): Promise<void> {
      const ctx = requirePermission(request, MANAGE);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const stored = await connectionOrThrow(tx, machineId, true);
        await connections.deleteConnection(tx, machineId);
        await connections.notifyConfigChanged(tx, machineId);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'opcua_connection',
          entityId: machineId,
          siteId: stored.site_id,
          before: toOutput(stored),
        });
      });
    },

    /** Expands one node of the server's address space (default the Objects folder). */
    async browse(request: RequestContext, machineId: number, input: BrowseInput): Promise<BrowseOutput> {
      const ctx = requirePermission(request, MANAGE);
      const { settings } = await settingsFor(ctx, machineId, input.endpoint);
      return withSession(settings, session, (opened) =>
        browseChildren(opened, input.node_id ?? OBJECTS_FOLDER),
      );
    },

    /** Connects once and reads the configured (or given) nodes: what HOM would see. */
    async test(request: RequestContext, machineId: number, input: TestInput): Promise<TestOutput> {
      const ctx = requirePermission(request, MANAGE);
      const { settings, stored } = await settingsFor(ctx, machineId, input.endpoint);
      const pick = (role: NodeRole, given: string | null | undefined, kept: string | null | undefined) => {
        const nodeId = input.endpoint || given !== undefined ? given : kept;
        return nodeId ? [{ role, node_id: nodeId }] : [];
      };
      const nodes = [
        ...pick('cycle', input.cycle_node_id, stored?.cycle_node_id),
        ...pick('state', input.state_node_id, stored?.state_node_id),
        ...pick('good', input.good_node_id, stored?.good_node_id),
        ...pick('reject', input.reject_node_id, stored?.reject_node_id),
      ];
      const stateMap = input.state_map ?? stored?.state_map ?? DEFAULT_STATE_MAP;
      const started = performance.now();
      const read = await withSession(settings, session, (opened) =>
        readConfiguredNodes(opened, nodes, stateMap),
      );
      return {
        endpoint_url: settings.endpoint_url,
        security_mode: settings.security_mode,
        security_policy: settings.security_policy,
        duration_ms: Math.round(performance.now() - started),
        nodes: read,
      };
    },
  };
}
export type OpcuaService = ReturnType<typeof createOpcuaService>;
