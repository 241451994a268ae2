import { SYSTEM_SCOPE, type Database } from '../../../platform/db/database.ts';
import { listen } from '../../../platform/db/listen.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { SignalRecorder } from '../signals.service.ts';
import type { MachineRef } from '../signals.types.ts';
import { certificateStore, endpointKey, routeOpcuaLogs, type EndpointSettings } from './opcua.client.ts';
import type { NodeRole } from './opcua.dto.ts';
import { createIngestLanes, type CommittedSignal } from './opcua.lanes.ts';
import { createEndpointLink, type EndpointLink, type LinkStatus, type MachineBinding } from './opcua.link.ts';
import * as connections from './opcua.repository.ts';
import { createPasswordBox } from './opcua.secret.ts';

export interface OpcuaIngestOptions {
  db: Database;
  log: Logger;
  signals: SignalRecorder;
  /** HOM's secret: the stored OPC-UA passwords are sealed under a key derived from it. */
  secret: string;
  /** HOM's OPC-UA client certificate store (docs/opcua.md). */
  pkiDir: string;
  /** How often the connections are reloaded besides the change notifications (ms, default 5000). */
  pollIntervalMs?: number;
  /** The keep-alive period asked of the servers (ms, default 5000). */
  keepAliveMs?: number;
  /** Silence after which a subscription counts as stalled (default 2 × keep-alive + 2 s). */
  stallAfterMs?: number;
  /** Backoff between connection attempts (ms, default 1000 doubling up to 30000). */
  reconnectInitialMs?: number;
  reconnectMaxMs?: number;
  /** One OPC-UA request may take this long (ms, default 10000). */
  requestTimeoutMs?: number;
  /** Parallel database writers (default 4) and how often they write (ms, default 50). */
  lanes?: number;
  flushIntervalMs?: number;
  /** Metrics: every committed count and state with its receipt and commit time. */
  onCommitted?: (signals: CommittedSignal[]) => void;
}

export interface OpcuaIngest {
  /** One entry per endpoint HOM is subscribed to. */
  status(): LinkStatus[];
  /** The database writers: values waiting, written, dropped, and merged while the database fell behind. */
  writer(): { queued: number; committed: number; dropped: number; merged: number };
  /** Reloads the connections now (also done on change notifications and every poll interval). */
  reload(): Promise<void>;
  stop(): Promise<void>;
}

const ROLES: {
  role: NodeRole;
  column: 'cycle_node_id' | 'state_node_id' | 'good_node_id' | 'reject_node_id';
}[] = [
  { role: 'cycle', column: 'cycle_node_id' },
  { role: 'state', column: 'state_node_id' },
  { role: 'good', column: 'good_node_id' },
  { role: 'reject', column: 'reject_node_id' },
];

/**
 * The `ingest` role's OPC-UA side: subscribes to every enabled connection, one client and session per
 * endpoint (machines on the same endpoint, security and user share it), and puts counts and states
 * through the signal recorder in batched transactions. Configuration changes arrive by NOTIFY and a
 * poll, and rebuild only the endpoints they touch.
 */
export function startOpcuaIngest(options: OpcuaIngestOptions): OpcuaIngest {
  const log = options.log.child({ component: 'opcua-ingest' });
  routeOpcuaLogs(log);
  const passwords = createPasswordBox(options.secret);
  const lanes = createIngestLanes({
    db: options.db,
    signals: options.signals,
    log,
    lanes: options.lanes ?? 4,
    flushIntervalMs: options.flushIntervalMs ?? 50,
    maxBatch: 500,
    maxQueued: 200_000,
    onCommitted: options.onCommitted,
  });
  const timing = {
    keepAliveMs: options.keepAliveMs ?? 5000,
    stallAfterMs: options.stallAfterMs,
    reconnectInitialMs: options.reconnectInitialMs ?? 1000,
    reconnectMaxMs: options.reconnectMaxMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
  };
  const links = new Map<string, { link: EndpointLink; signature: string }>();
  let machines = new Map<number, MachineRef>();
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;

  async function reconcile(): Promise<void> {
    const rows = await options.db.transaction(SYSTEM_SCOPE, (tx) => connections.enabledConnections(tx));
    const groups = new Map<
      string,
      { settings: EndpointSettings; bindings: MachineBinding[]; signature: string[] }
    >();
    const seen = new Map<number, MachineRef>();
    for (const row of rows) {
      const machine = { machine_id: row.machine_id, site_id: row.site_id };
      seen.set(row.machine_id, machine);
      let password: string | null = null;
      if (row.password_encrypted) {
        try {
          password = passwords.open(row.machine_id, row.password_encrypted);
        } catch {
          lanes.push({
            type: 'status',
            machine,
            status: 'error',
            last_error: 'The stored password cannot be read (was HOM_SECRET changed?): enter it again',
            at: new Date(),
            connected: false,
          });
          continue;
        }
      }
      const settings: EndpointSettings = {
        endpoint_url: row.endpoint_url,
        security_mode: row.security_mode,
        security_policy: row.security_policy,
        username: row.username,
        password,
      };
      const key = endpointKey(settings);
      const group = groups.get(key) ?? { settings, bindings: [], signature: [] };
      group.bindings.push({
        machine,
        nodes: ROLES.flatMap(({ role, column }) => (row[column] ? [{ role, node_id: row[column] }] : [])),
        state_map: row.state_map,
        publishing_interval_ms: row.publishing_interval_ms,
      });
      group.signature.push(`${row.machine_id}@${row.updated_at.toISOString()}`);
      groups.set(key, group);
    }

    for (const [key, entry] of links) {
      if (groups.has(key)) continue;
      links.delete(key);
      await entry.link.stop();
    }
    // Connections removed or disabled: their machines are no longer stale for OPC-UA.
    for (const [machineId, machine] of machines)
      if (!seen.has(machineId)) lanes.push({ type: 'fresh', machine, at: new Date() });
    machines = seen;

    for (const [key, group] of groups) {
      const signature = group.signature.join(',');
      const existing = links.get(key);
      if (!existing) {
        log.info(
          { endpoint: group.settings.endpoint_url, machines: group.bindings.length },
          'OPC-UA endpoint added',
        );
        const link = createEndpointLink({
          settings: group.settings,
          machines: group.bindings,
          pkiDir: options.pkiDir,
          lanes,
          log,
          timing,
        });
        links.set(key, { link, signature });
      } else if (existing.signature !== signature) {
        existing.signature = signature;
        existing.link.setMachines(group.bindings);
      }
    }
  }

  /** Runs one reconcile at a time; a request while one runs makes it run once more after. */
  function reload(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await reconcile();
        } catch (error) {
          log.warn({ err: error }, 'cannot load the OPC-UA connections; trying again at the next poll');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const poll = setInterval(() => void reload(), options.pollIntervalMs ?? 5000);
  poll.unref();
  const listener = listen(
    options.db.pool,
    connections.CONFIG_CHANNEL,
    (payload) => {
      // A server certificate trusted or rejected in another process counts from its next connection here.
      if (payload === connections.CERTIFICATES_CHANGED)
        void certificateStore(options.pkiDir)
          .reloadCertificates()
          .catch((error: unknown) => log.warn({ err: error }, 'cannot reload the OPC-UA certificates'));
      void reload();
    },
    log,
    { onListening: () => void reload() },
  );
  void reload();

  return {
    status: () => [...links.values()].map((entry) => entry.link.status()),
    writer: () => ({ queued: lanes.queued(), ...lanes.stats() }),
    reload,
    async stop() {
      stopped = true;
      clearInterval(poll);
      await listener.close();
      await running;
      await Promise.all([...links.values()].map((entry) => entry.link.stop()));
      links.clear();
      await lanes.stop();
    },
  };
}
