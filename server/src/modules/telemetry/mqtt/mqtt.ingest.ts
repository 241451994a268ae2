import type { Registry } from 'prom-client';
import { SYSTEM_ACTOR, type RequestContext } from '../../../platform/auth/actor.ts';
import { SYSTEM_SCOPE, type Database } from '../../../platform/db/database.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ReadingRow } from '../reading.types.ts';
import type { SignalRecorder } from '../signals.service.ts';
import type { BatcherOptions } from './batcher.ts';
import { safeBrokerUrl, startMqttClient, type MqttStatus, type RunningMqttClient } from './client.ts';
import { createMqttMetrics } from './metrics.ts';
import { createMachineResolver } from './machines.ts';
import { activeMachinesByCode, insertDeadLetters } from './mqtt.repository.ts';
import { createOutageWatch } from './outage.ts';
import { createProcessor, type MqttSinks } from './processor.ts';
import { compileTopicPattern, createTopicRouter, subscriptionFilters, type TopicPattern } from './topics.ts';

/** MQTT ingest as configured (MQTT_* variables, docs/mqtt.md). */
export interface MqttIngestConfig {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  qos: 0 | 1;
  topics: {
    readings: readonly string[];
    /** Test results in the /ingest format; null: not taken over MQTT. */
    results: string | null;
    state: string | null;
    counter: string | null;
  };
}

export interface MqttIngestDeps {
  config: MqttIngestConfig;
  db: Pick<Database, 'transaction'>;
  log: Logger;
  /** The telemetry module's reading writer (resolves after the commit). */
  readings: { write(rows: ReadingRow[]): Promise<{ inserted: number }> };
  signals: Pick<SignalRecorder, 'recordStates' | 'recordCounts' | 'markStale' | 'markFresh'>;
  /** The quality module's ingest (POST /ingest's service): validates, resolves, hands to the pipeline. */
  results: { ingest(request: RequestContext, body: unknown): Promise<number> };
  /** The process's metrics registry (/metrics). */
  registry?: Registry | undefined;
  /** Batching, window and session settings (defaults suit a plant; the benchmark tunes them). */
  tuning?: {
    batch?: Omit<BatcherOptions, 'process' | 'ack' | 'onRetry' | 'shardOf'>;
    receiveMaximum?: number;
    sessionExpirySeconds?: number;
    reconnectMs?: number;
    /** A broker away this long marks its machines stale (default 15 s). */
    outageGraceMs?: number;
  };
}

export interface RunningMqttIngest {
  stop(): Promise<void>;
  status(): MqttStatus;
}

/** Results over MQTT are ingested as HOM itself, limited to the topic's site. */
function siteContext(siteId: number): RequestContext {
  return {
    actor: { ...SYSTEM_ACTOR, name: 'mqtt', siteIds: [siteId], allSites: false },
    requestId: 'mqtt',
    clientIp: '127.0.0.1',
    userAgent: undefined,
  };
}

export function compileMqttTopics(topics: MqttIngestConfig['topics']): TopicPattern[] {
  return [
    ...topics.readings.map((pattern) => compileTopicPattern(pattern, 'reading')),
    ...(topics.results ? [compileTopicPattern(topics.results, 'results')] : []),
    ...(topics.state ? [compileTopicPattern(topics.state, 'state')] : []),
    ...(topics.counter ? [compileTopicPattern(topics.counter, 'counter')] : []),
  ];
}

/**
 * Subscribes to the configured topics with a persistent session and stores what arrives: readings
 * through the reading writer, test results through the quality ingest, states and counters through the
 * signal recorder; what can never be stored goes to the ingest dead letters. A QoS 1 message is
 * acknowledged only after its commit (docs/mqtt.md).
 */
export function startMqttIngest(deps: MqttIngestDeps): RunningMqttIngest {
  const patterns = compileMqttTopics(deps.config.topics);
  const db = deps.db;
  const sinks: MqttSinks = {
    writeReadings: (rows) => deps.readings.write(rows),
    ingestResults: (siteId, items) => deps.results.ingest(siteContext(siteId), items),
    recordSignals: (states, counts) =>
      db.transaction(SYSTEM_SCOPE, async (tx) => {
        await deps.signals.recordStates(
          tx,
          [...states].sort((a, b) => a.at.getTime() - b.at.getTime()),
        );
        await deps.signals.recordCounts(
          tx,
          [...counts].sort((a, b) => a.at.getTime() - b.at.getTime()),
        );
      }),
    deadLetter: (letters) =>
      letters.length === 0
        ? Promise.resolve()
        : db.transaction(SYSTEM_SCOPE, (tx) => insertDeadLetters(tx, letters)),
  };
  const log = deps.log.child({ component: 'mqtt-ingest' });
  const metrics = createMqttMetrics(deps.registry, () => client.stats());
  let suppressed = 0;
  let lastLogAt = 0;
  const outage = createOutageWatch({
    db,
    signals: deps.signals,
    log,
    broker: safeBrokerUrl(deps.config.url),
    graceMs: deps.tuning?.outageGraceMs,
  });
  const processor = createProcessor({
    onMachines: (machines) => outage.fed(machines),
    route: createTopicRouter(patterns),
    machines: createMachineResolver({
      lookup: (codes) => db.transaction(SYSTEM_SCOPE, (tx) => activeMachinesByCode(tx, codes)),
    }),
    sinks,
    onDeadLetter: (cause, reason, topic) => {
      metrics.deadLetters.inc({ cause });
      // At most one warning a second: a misconfigured device can send thousands.
      const now = Date.now();
      if (now - lastLogAt < 1_000) {
        suppressed += 1;
        return;
      }
      log.warn(
        { topic, cause, reason, alsoSince: suppressed },
        'MQTT message refused: kept in the dead letters',
      );
      lastLogAt = now;
      suppressed = 0;
    },
  });
  const client: RunningMqttClient = startMqttClient({
    url: deps.config.url,
    clientId: deps.config.clientId,
    username: deps.config.username,
    password: deps.config.password,
    qos: deps.config.qos,
    filters: subscriptionFilters(patterns),
    processor,
    log: deps.log,
    metrics,
    batch: deps.tuning?.batch,
    receiveMaximum: deps.tuning?.receiveMaximum,
    sessionExpirySeconds: deps.tuning?.sessionExpirySeconds,
    reconnectMs: deps.tuning?.reconnectMs,
    onConnected: () => outage.connected(),
    onConnectionLost: (lastError) => outage.lost(lastError),
  });
  return {
    async stop() {
      await outage.stop();
      await client.stop();
    },
    status: () => client.status(),
  };
}
