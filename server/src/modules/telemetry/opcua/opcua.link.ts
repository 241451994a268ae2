import {
  AttributeIds,
  OPCUAClient,
  TimestampsToReturn,
  type ClientMonitoredItemGroup,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
} from 'node-opcua';
import type { Logger } from '../../../platform/logger.ts';
import type { MachineRef } from '../signals.types.ts';
import { classify, clientOptions, identityOf, type EndpointSettings, type Stage } from './opcua.client.ts';
import type { ConnectionStatus, NodeRole } from './opcua.dto.ts';
import type { IngestLanes } from './opcua.lanes.ts';
import { counterOf, mapState, rawText } from './opcua.values.ts';

/** One machine on an endpoint: which nodes to watch and how to read its state. */
export interface MachineBinding {
  machine: MachineRef;
  nodes: { role: NodeRole; node_id: string }[];
  state_map: Readonly<Record<string, string>>;
  publishing_interval_ms: number;
}

export interface LinkTiming {
  /** The keep-alive period HOM asks for: the server sends at least this often, data or not. */
  keepAliveMs: number;
  /** Silence after which a subscription counts as stalled; default 2 × the revised keep-alive + 2 s. */
  stallAfterMs: number | undefined;
  /** Backoff between connection attempts: doubles from the first to the cap. */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** One request (connect, session, subscribe) may take this long. */
  requestTimeoutMs: number;
}

export interface LinkStatus {
  endpoint_url: string;
  machine_ids: number[];
  status: ConnectionStatus;
  last_error: string | null;
  monitored_items: number;
  notifications: number;
  last_notification_at: Date | null;
  connections_lost: number;
  subscriptions_rebuilt: number;
  clients_restarted: number;
}

interface WatchedItem {
  binding: MachineBinding;
  role: NodeRole;
  node_id: string;
  problem: string | null;
}

/**
 * One OPC-UA endpoint (URL + security + user) and the machines on it: one client, one session, one
 * subscription. node-opcua repairs a broken channel itself (infinite retry, capped backoff) and re-creates
 * session and subscription after a server restart; HOM marks the machines stale meanwhile. A watchdog
 * rebuilds a subscription that goes silent (no data and no keep-alive), and restarts the client when
 * that does not help, so a half-open connection never leaves a machine silent.
 */
export function createEndpointLink(options: {
  settings: EndpointSettings;
  machines: MachineBinding[];
  pkiDir: string;
  lanes: IngestLanes;
  log: Logger;
  timing: LinkTiming;
}) {
  const { settings, lanes, timing } = options;
  const log = options.log.child({ endpoint: settings.endpoint_url });
  let machines = options.machines;
  let generation = 0;
  let stopped = false;
  let client: OPCUAClient | undefined;
  let session: ClientSession | undefined;
  let subscription: ClientSubscription | undefined;
  let items: WatchedItem[] = [];
  let phase: ConnectionStatus = 'connecting';
  let lastError: string | null = null;
  let lastNotification = Date.now();
  let lastNotificationAt: Date | null = null;
  let keepAlivePeriod = timing.keepAliveMs;
  /** HOM has marked the machines stale; a fresh mark is pending (also at the start: an earlier period may be open). */
  let stale = false;
  let freshPending = true;
  let stallsInARow = 0;
  let busy = false;
  const reported = new Map<number, string>();
  const stats = { notifications: 0, connections_lost: 0, subscriptions_rebuilt: 0, clients_restarted: 0 };

  const stallAfter = () => timing.stallAfterMs ?? 2 * keepAlivePeriod + 2000;
  const watchdog = setInterval(check, Math.max(100, Math.min(1000, Math.floor(stallAfter() / 4))));
  watchdog.unref();

  // ---------- what HOM records about the machines ----------

  function setPhase(status: ConnectionStatus, error: string | null): void {
    phase = status;
    lastError = error;
    reportMachines(status === 'connected' && error === null);
  }

  /** Each machine's status: the link's, or the problem of one of its nodes; written only when it changes. */
  function reportMachines(connected = false): void {
    const at = new Date();
    for (const binding of machines) {
      const problem =
        items.find((item) => item.binding === binding && item.problem !== null)?.problem ?? null;
      const status: ConnectionStatus = phase === 'connected' && problem ? 'error' : phase;
      const error = phase === 'connected' ? problem : lastError;
      const key = `${status}|${error ?? ''}`;
      if (reported.get(binding.machine.machine_id) === key && !connected) continue;
      reported.set(binding.machine.machine_id, key);
      lanes.push({ type: 'status', machine: binding.machine, status, last_error: error, at, connected });
    }
  }

  function markStale(reason: string, bindings = machines): void {
    freshPending = true;
    if (stale && bindings === machines) return;
    stale = true;
    const at = new Date();
    for (const binding of bindings) lanes.push({ type: 'stale', machine: binding.machine, reason, at });
  }

  /** Ends the machines' open stale periods (also one left by an earlier link or process). */
  function markFresh(): void {
    if (!freshPending) return;
    freshPending = false;
    stale = false;
    const at = new Date();
    for (const binding of machines) lanes.push({ type: 'fresh', machine: binding.machine, at });
  }

  /** The subscription delivered (data or keep-alive): the machines are not stale, the link is not stalled. */
  function touch(): void {
    lastNotification = Date.now();
    lastNotificationAt = new Date(lastNotification);
    stallsInARow = 0;
    if (phase === 'stalled' || phase === 'reconnecting') setPhase('connected', null);
    if (phase === 'connected') markFresh();
  }

  function onValue(item: WatchedItem, dataValue: DataValue): void {
    touch();
    stats.notifications += 1;
    const status = dataValue.statusCode;
    if (!status.isGoodish()) {
      setProblem(item, `${item.role} node ${item.node_id}: the server says ${status.name}`);
      return;
    }
    const value: unknown = dataValue.value.value;
    const at = timestampOf(dataValue);
    const machine = item.binding.machine;
    if (item.role === 'state') {
      const raw = rawText(value);
      setProblem(item, null);
      lanes.push({
        type: 'state',
        machine,
        state: mapState(raw, item.binding.state_map),
        raw_value: raw === null ? null : raw.slice(0, 200),
        at,
        received_at: Date.now(),
      });
      return;
    }
    const counter = counterOf(value);
    if (counter === null) {
      setProblem(
        item,
        `${item.role} node ${item.node_id}: ${String(value).slice(0, 50)} is not a whole number ≥ 0`,
      );
      return;
    }
    setProblem(item, null);
    lanes.push({
      type: 'count',
      machine,
      kind: item.role,
      counter_value: counter,
      at,
      received_at: Date.now(),
    });
  }

  function setProblem(item: WatchedItem, problem: string | null): void {
    if (item.problem === problem) return;
    item.problem = problem;
    if (problem) log.warn({ machine_id: item.binding.machine.machine_id }, problem);
    reportMachines();
  }

  // ---------- connection ----------

  let stage: Stage = 'connect';

  async function connectLoop(own: number): Promise<void> {
    for (let attempt = 0; !stopped && own === generation; attempt += 1) {
      try {
        await open(own);
        return;
      } catch (error) {
        if (stopped || own !== generation) return;
        const coded = classify(error, settings, stage);
        log.warn({ err: coded.message, attempt }, 'OPC-UA connection attempt failed');
        setPhase(attempt === 0 && phase === 'connecting' ? 'connecting' : 'error', coded.message);
        markStale(`OPC-UA: ${coded.message}`);
        await closeClient();
        const delay = Math.min(timing.reconnectMaxMs, timing.reconnectInitialMs * 2 ** Math.min(attempt, 10));
        await pause(delay * (0.8 + Math.random() * 0.4), own);
      }
    }
  }

  async function open(own: number): Promise<void> {
    const opened = OPCUAClient.create(
      clientOptions(settings, options.pkiDir, {
        // One retry on the first connect (HOM's own loop retries after, and reports why); any
        // maxRetry other than 0 also makes node-opcua repair a broken connection, forever.
        connectionStrategy: {
          maxRetry: 1,
          initialDelay: timing.reconnectInitialMs,
          maxDelay: timing.reconnectMaxMs,
        },
        requestedSessionTimeout: Math.max(60_000, 6 * timing.keepAliveMs),
        defaultTransactionTimeout: timing.requestTimeoutMs,
        transportTimeout: timing.requestTimeoutMs,
      }),
    );
    client = opened;
    stage = 'connect';
    const current = () => !stopped && own === generation && client === opened;
    opened.on('connection_lost', () => {
      if (!current()) return;
      stats.connections_lost += 1;
      log.warn('OPC-UA connection lost; node-opcua reconnects');
      setPhase('reconnecting', `connection to ${settings.endpoint_url} lost`);
      markStale(`OPC-UA connection to ${settings.endpoint_url} lost`);
    });
    opened.on('reconnection_attempt_has_failed', (error: Error) => {
      if (!current()) return;
      log.debug({ err: error.message }, 'OPC-UA reconnection attempt failed');
      setPhase('reconnecting', classify(error, settings, 'connect').message);
    });
    opened.on('connection_reestablished', () => {
      if (!current()) return;
      log.info('OPC-UA connection re-established');
      // node-opcua re-creates the session and subscription; the watchdog gives it a full period.
      lastNotification = Date.now();
      setPhase('connected', null);
    });
    await withTimeout(opened.connect(settings.endpoint_url), timing.requestTimeoutMs, 'connecting');
    if (!current()) return;
    stage = 'session';
    session = await withTimeout(
      opened.createSession(identityOf(settings)),
      timing.requestTimeoutMs,
      'opening a session',
    );
    if (!current()) return;
    stage = 'work';
    await subscribe(own);
    if (!current()) return;
    log.info({ machines: machines.length, monitored_items: items.length }, 'OPC-UA subscription running');
    setPhase('connected', null);
    reportMachines(true);
  }

  async function subscribe(own: number): Promise<void> {
    const opened = session;
    if (!opened) throw new Error('no session');
    const interval = Math.min(...machines.map((binding) => binding.publishing_interval_ms));
    const keepAliveCount = Math.max(2, Math.ceil(timing.keepAliveMs / interval));
    const created = await withTimeout(
      opened.createSubscription2({
        requestedPublishingInterval: interval,
        requestedMaxKeepAliveCount: keepAliveCount,
        requestedLifetimeCount: keepAliveCount * 6,
        maxNotificationsPerPublish: 0,
        publishingEnabled: true,
        priority: 10,
      }),
      timing.requestTimeoutMs,
      'creating the subscription',
    );
    if (stopped || own !== generation) {
      void created.terminate().catch(() => undefined);
      return;
    }
    subscription = created;
    keepAlivePeriod = created.publishingInterval * created.maxKeepAliveCount;
    lastNotification = Date.now();
    const current = () => !stopped && own === generation && subscription === created;
    created.on('keepalive', () => {
      if (current()) touch();
    });
    created.on('terminated', () => {
      if (current()) void rebuild('the server ended the subscription');
    });
    created.on('status_changed', (status: { name: string; isGood(): boolean }) => {
      if (current() && !status.isGood()) void rebuild(`the subscription reports ${status.name}`);
    });
    created.on('internal_error', (error: Error) => {
      if (current()) void rebuild(`subscription error: ${error.message}`);
    });

    const watched: WatchedItem[] = machines.flatMap((binding) =>
      binding.nodes.map((node) => ({ binding, role: node.role, node_id: node.node_id, problem: null })),
    );
    items = watched;
    // One group per sampling interval (machines may ask for different ones).
    const byInterval = new Map<number, WatchedItem[]>();
    for (const item of watched) {
      const list = byInterval.get(item.binding.publishing_interval_ms) ?? [];
      list.push(item);
      byInterval.set(item.binding.publishing_interval_ms, list);
    }
    for (const [sampling, list] of byInterval) {
      const group: ClientMonitoredItemGroup = await withTimeout(
        created.monitorItems(
          list.map((item) => ({ nodeId: item.node_id, attributeId: AttributeIds.Value })),
          { samplingInterval: sampling, queueSize: 10, discardOldest: true },
          TimestampsToReturn.Both,
        ),
        timing.requestTimeoutMs,
        'creating monitored items',
      );
      group.on('changed', (_item, dataValue: DataValue, index: number) => {
        const item = list[index];
        if (item && current()) onValue(item, dataValue);
      });
      group.monitoredItems.forEach((monitored, index) => {
        const item = list[index];
        if (item && monitored.statusCode.isNotGood())
          item.problem = `${item.role} node ${item.node_id}: the server says ${monitored.statusCode.name}`;
      });
    }
  }

  /** Re-creates the subscription on the session; restarts the client when that fails too. */
  async function rebuild(reason: string): Promise<void> {
    if (busy || stopped) return;
    busy = true;
    const own = generation;
    try {
      log.warn({ reason }, 'OPC-UA subscription is rebuilt');
      stats.subscriptions_rebuilt += 1;
      const old = subscription;
      subscription = undefined;
      if (old)
        void withTimeout(old.terminate(), timing.requestTimeoutMs, 'ending the subscription').catch(
          () => undefined,
        );
      if (!session || client?.isReconnecting) throw new Error('no usable session');
      await subscribe(own);
      if (own === generation) reportMachines();
    } catch (error) {
      if (own === generation && !stopped)
        restart(`${reason}; rebuilding failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  }

  /** Drops client, session and subscription (without waiting for a server that may not answer) and connects anew. */
  function restart(reason: string): void {
    if (stopped) return;
    log.warn({ reason }, 'OPC-UA client is restarted');
    stats.clients_restarted += 1;
    generation += 1;
    void closeClient();
    setPhase('connecting', reason);
    void connectLoop(generation);
  }

  function check(): void {
    if (stopped || busy) return;
    const silence = Date.now() - lastNotification;
    if (phase === 'reconnecting') {
      // node-opcua retries forever; a repair that never completes is started over.
      if (silence > Math.max(60_000, 4 * timing.reconnectMaxMs)) restart('reconnection did not complete');
      return;
    }
    if ((phase !== 'connected' && phase !== 'stalled') || !subscription || client?.isReconnecting) return;
    if (silence <= stallAfter()) return;
    stallsInARow += 1;
    const reason = `no data and no keep-alive for ${Math.round(silence / 1000)} s: the subscription stalled`;
    setPhase('stalled', reason);
    markStale(`OPC-UA ${reason}`);
    lastNotification = Date.now();
    if (stallsInARow >= 2) restart(reason);
    else void rebuild(reason);
  }

  async function closeClient(): Promise<void> {
    const closing = client;
    const closingSubscription = subscription;
    client = undefined;
    session = undefined;
    subscription = undefined;
    items = [];
    if (closingSubscription) void closingSubscription.terminate().catch(() => undefined);
    if (closing) await withTimeout(closing.disconnect(), 3000, 'disconnecting').catch(() => undefined);
  }

  const sleepers = new Set<() => void>();
  function pause(ms: number, own: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
      if (stopped || own !== generation) done();
    });
  }

  setPhase('connecting', null);
  void connectLoop(generation);

  return {
    key: settings,
    /** Machines came, went or changed on this endpoint: the subscription is rebuilt with the new set. */
    setMachines(next: MachineBinding[]): void {
      const added = next.filter(
        (binding) => !machines.some((old) => old.machine.machine_id === binding.machine.machine_id),
      );
      machines = next;
      reported.clear();
      if (added.length > 0) freshPending = true;
      if (stale && added.length > 0) markStale(`OPC-UA: waiting for ${settings.endpoint_url}`, added);
      if (session && subscription && !busy) void rebuild('the machines on this endpoint changed');
      else reportMachines();
    },
    status(): LinkStatus {
      return {
        endpoint_url: settings.endpoint_url,
        machine_ids: machines.map((binding) => binding.machine.machine_id),
        status: phase,
        last_error: lastError,
        monitored_items: items.length,
        notifications: stats.notifications,
        last_notification_at: lastNotificationAt,
        connections_lost: stats.connections_lost,
        subscriptions_rebuilt: stats.subscriptions_rebuilt,
        clients_restarted: stats.clients_restarted,
      };
    },
    async stop(): Promise<void> {
      stopped = true;
      generation += 1;
      clearInterval(watchdog);
      for (const wake of [...sleepers]) wake();
      await closeClient();
    },
  };
}
export type EndpointLink = ReturnType<typeof createEndpointLink>;

/** The source timestamp, unless it is missing or implausible (then the server's, then receipt). */
function timestampOf(dataValue: DataValue): Date {
  const now = Date.now();
  for (const stamp of [dataValue.sourceTimestamp, dataValue.serverTimestamp]) {
    const time = stamp?.getTime();
    if (time !== undefined && time > 946_684_800_000 && time < now + 300_000) return new Date(time);
  }
  return new Date(now);
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms while ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
