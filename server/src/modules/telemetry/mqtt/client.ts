import { connect, type IPublishPacket, type MqttClient } from 'mqtt';
import type { Logger } from '../../../platform/logger.ts';
import { createBatcher, type BatcherOptions, type Incoming } from './batcher.ts';
import type { MqttMetrics } from './metrics.ts';
import type { MqttProcessor } from './processor.ts';
import { createRedeliveryMemory } from './redelivery.ts';

export interface MqttClientOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  qos: 0 | 1;
  /** Subscription filters (topics.ts subscriptionFilters). */
  filters: string[];
  processor: MqttProcessor;
  log: Logger;
  metrics: MqttMetrics;
  batch?: Omit<BatcherOptions, 'process' | 'ack' | 'onRetry' | 'shardOf'> | undefined;
  /** QoS 1 messages the broker may send before HOM acknowledges any (MQTT 5 Receive Maximum). */
  receiveMaximum?: number | undefined;
  /** How long the broker keeps the session (subscriptions, queued messages) while HOM is away. */
  sessionExpirySeconds?: number | undefined;
  reconnectMs?: number | undefined;
  /** On stop, batches being written get this long to commit and be acknowledged. */
  closeGraceMs?: number | undefined;
  /** Told of each connection made and each one lost (not when HOM stops), with the last error. */
  onConnected?: (() => void) | undefined;
  onConnectionLost?: ((lastError: () => string | null) => void) | undefined;
}

export interface MqttStatus {
  connected: boolean;
  url: string;
  clientId: string;
  filters: string[];
  qos: 0 | 1;
  lastConnectedAt: Date | null;
  lastError: string | null;
  waiting: number;
  writing: number;
  unacked: number;
}

/**
 * mqtt.js hands messages to `handleMessage` one at a time and sends a QoS 1 message's PUBACK when its
 * callback is called without an error; with an error it sends none and moves on to the next packet
 * (node_modules/mqtt/build/lib/handlers/publish.js:96–118, client.js:330–359). HOM calls back at once
 * with this marker, so messages keep flowing into batches, and sends each PUBACK itself after the
 * commit (docs/mqtt.md, "Acknowledgements").
 */
const HELD_BACK = new Error('PUBACK held back until the message is committed');

/**
 * Batches written side by side, each for its own machines (bench:mqtt, docs/performance.md "MQTT":
 * PostgreSQL works on one batch while HOM prepares the other's).
 */
const WRITERS = 2;

type SendPacket = (packet: { cmd: 'puback'; messageId: number; reasonCode: number }) => void;

/** Redacts credentials from a broker URL for logs and status. */
export const safeBrokerUrl = (url: string) => url.replace(/\/\/[^@/]*@/, '//');

export function startMqttClient(options: MqttClientOptions) {
  const log = options.log.child({ component: 'mqtt-ingest', clientId: options.clientId });
  const metrics = options.metrics;
  const receiveMaximum = options.receiveMaximum ?? 5_000;
  let generation = 0;
  let subscribedOnce = false;
  let stopping = false;
  let lastConnectedAt: Date | null = null;
  let lastError: string | null = null;
  let outageLogged = false;
  const redelivered = createRedeliveryMemory(Math.min(4 * receiveMaximum, 40_000));

  const client: MqttClient = connect(options.url, {
    clientId: options.clientId,
    username: options.username,
    password: options.password,
    protocolVersion: 5,
    clean: false,
    properties: { sessionExpiryInterval: options.sessionExpirySeconds ?? 7 * 86_400, receiveMaximum },
    reconnectPeriod: options.reconnectMs ?? 1_000,
    connectTimeout: 10_000,
    keepalive: 30,
    resubscribe: false,
    manualConnect: true,
    // mqtt.js's debug logging costs a call per packet even when off; HOM logs what matters itself.
    log: () => undefined,
  });
  // The library's own sender: the PUBACK it would have sent, now after the commit.
  const librarySend = (client as unknown as { _sendPacket?: SendPacket })._sendPacket;
  if (typeof librarySend !== 'function') {
    throw new Error(
      'this mqtt.js has no _sendPacket: MQTT ingest needs it to acknowledge after the commit (docs/mqtt.md)',
    );
  }
  const sendPacket: SendPacket = librarySend.bind(client);

  const shards = options.batch?.shards ?? WRITERS;
  const batcher = createBatcher({
    ...options.batch,
    shards,
    shardOf: (message) => options.processor.shardOf(message, shards),
    process: async (batch) => {
      const started = performance.now();
      const outcome = await options.processor.process(batch);
      metrics.batchSeconds.observe((performance.now() - started) / 1000);
      for (const message of batch) {
        if (!message.done) continue;
        metrics.stored.inc();
        if (message.qos === 1) redelivered.remember(message);
      }
      return outcome;
    },
    ack: (message) => {
      // A PUBACK belongs to the connection the message came over; after a reconnect the broker sends
      // the message again and the redelivery memory acknowledges it without storing it twice.
      if (message.generation !== generation || !client.connected || message.messageId === undefined) return;
      sendPacket({ cmd: 'puback', messageId: message.messageId, reasonCode: 0 });
    },
    onRetry: (error, delayMs, messages) => {
      metrics.retries.inc();
      lastError = error instanceof Error ? error.message : String(error);
      log.warn(
        { err: error, retryInMs: delayMs, messages },
        'writing MQTT messages failed; not acknowledged, retrying',
      );
    },
  });

  function accept(packet: IPublishPacket, message: Incoming): Error | undefined {
    metrics.received.inc({ qos: String(message.qos) });
    if (message.qos === 1 && packet.dup && redelivered.has(message)) {
      metrics.redeliveries.inc();
      batcher.pushDone(message);
    } else {
      options.processor.read(message);
      batcher.push(message);
    }
    return message.qos === 1 ? HELD_BACK : undefined;
  }

  client.handleMessage = (packet, callback) => {
    const message: Incoming = {
      topic: packet.topic,
      payload: typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload,
      qos: packet.qos === 0 ? 0 : 1,
      messageId: packet.messageId,
      generation,
      receivedAt: Date.now(),
      done: false,
      abandoned: false,
    };
    // While stopping: QoS 1 stays unacknowledged (the broker sends it next time), QoS 0 is dropped.
    if (stopping) return callback(message.qos === 1 ? HELD_BACK : undefined);
    // The common case answers at once; waiting (a reconnect's earlier writes, a full buffer) holds the
    // connection, which is the backpressure: the broker keeps what HOM cannot take yet.
    if (!batcher.holdsOlder(generation) && batcher.hasRoom()) return callback(accept(packet, message));
    void (async () => {
      await batcher.olderSettled(generation);
      await batcher.whenRoom();
      // A QoS 1 message whose connection closed meanwhile is sent again by the broker.
      callback(message.qos === 0 || message.generation === generation ? accept(packet, message) : HELD_BACK);
    })();
  };

  client.on('connect', (connack) => {
    generation += 1;
    lastConnectedAt = new Date();
    lastError = null;
    outageLogged = false;
    metrics.connects.inc();
    options.onConnected?.();
    if (!connack.sessionPresent) redelivered.clear();
    log.info({ url: safeBrokerUrl(options.url), sessionPresent: connack.sessionPresent }, 'MQTT connected');
    if (subscribedOnce && connack.sessionPresent) return;
    subscribedOnce = true;
    // rh 2: no retained messages (old values that would be stamped as new).
    client.subscribe(
      options.filters
        .map((topic) => ({ topic, qos: options.qos, rh: 2 }))
        .reduce(
          (all, s) => ({ ...all, [s.topic]: { qos: s.qos, rh: s.rh } }),
          {} as Record<string, { qos: 0 | 1; rh: number }>,
        ),
      (error, granted) => {
        if (error) log.error({ err: error }, 'MQTT subscribe failed');
        const refused = (granted ?? []).filter((g) => g.qos === 128);
        if (refused.length > 0)
          log.error({ refused: refused.map((g) => g.topic) }, 'the broker refused MQTT subscriptions');
        else log.info({ filters: options.filters, qos: options.qos }, 'MQTT subscribed');
      },
    );
  });
  client.on('close', () => {
    batcher.abandon(generation);
    if (!stopping) options.onConnectionLost?.(() => lastError);
    if (!stopping && !outageLogged) {
      outageLogged = true;
      log.warn({ url: safeBrokerUrl(options.url) }, 'MQTT connection lost; reconnecting');
    }
  });
  client.on('error', (error) => {
    // Refused credentials or an unreachable broker repeat on every reconnect: say each new one once.
    if (error.message !== lastError) log.warn({ err: error }, 'MQTT error');
    lastError = error.message;
  });
  client.connect();

  return {
    /** Stops taking messages, lets batches commit and be acknowledged (bounded), then disconnects. */
    async stop(): Promise<void> {
      stopping = true;
      await batcher.drain(options.closeGraceMs ?? 5_000);
      await client.endAsync().catch(() => undefined);
    },
    stats: () => ({ connected: client.connected, ...batcher.stats() }),
    status(): MqttStatus {
      return {
        connected: client.connected,
        url: safeBrokerUrl(options.url),
        clientId: options.clientId,
        filters: options.filters,
        qos: options.qos,
        lastConnectedAt,
        lastError,
        ...batcher.stats(),
      };
    },
  };
}
export type RunningMqttClient = ReturnType<typeof startMqttClient>;
