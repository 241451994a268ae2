import { Gauge } from 'prom-client';
import type { HomServer } from './app.ts';
import {
  startMqttIngest,
  startOpcuaIngest,
  type MqttIngestConfig,
  type OpcuaIngest,
  type RunningMqttIngest,
} from './modules/telemetry/index.ts';
import type { Database } from './platform/db/database.ts';
import { holdLeadership } from './platform/db/leadership.ts';
import type { Logger } from './platform/logger.ts';

const LEADING_METRIC = 'hom_ingest_adapters_leading';

/** The advisory lock the ingest processes of one database share (docs/connectivity.md "Processes"). */
export const INGEST_ADAPTERS_LOCK = 'hom:ingest-adapters';

/**
 * The ingest role's adapters: OPC-UA subscriptions of every enabled connection (docs/opcua.md) and the
 * MQTT client when configured (docs/mqtt.md). They run in one ingest process at a time: a server gets
 * one OPC-UA session and the broker one client with HOM's client id, whatever the number of ingest
 * processes; the others wait and take over when the leader stops or dies.
 */
export function startIngestAdapters(deps: {
  db: Database;
  log: Logger;
  server: HomServer;
  secret: string;
  pkiDir: string;
  mqtt: MqttIngestConfig | undefined;
  /** How soon a waiting process takes over (ms). */
  takeOverMs?: number | undefined;
}) {
  const log = deps.log.child({ component: 'ingest-adapters' });
  const telemetry = deps.server.modules.telemetry;
  let opcua: OpcuaIngest | undefined;
  let mqtt: RunningMqttIngest | undefined;

  function start(): void {
    opcua = startOpcuaIngest({
      db: deps.db,
      log: deps.log,
      signals: telemetry.signals,
      secret: deps.secret,
      pkiDir: deps.pkiDir,
    });
    mqtt = deps.mqtt
      ? startMqttIngest({
          config: deps.mqtt,
          db: deps.db,
          log: deps.log,
          readings: telemetry.readings.writer,
          signals: telemetry.signals,
          results: deps.server.modules.quality.ingest,
          registry: deps.server.metrics.registry,
        })
      : undefined;
  }

  async function stopAdapters(): Promise<void> {
    const [runningOpcua, runningMqtt] = [opcua, mqtt];
    opcua = undefined;
    mqtt = undefined;
    await runningOpcua?.stop();
    // Batches being written commit and are acknowledged before the pool closes.
    await runningMqtt?.stop();
  }

  const leadership = holdLeadership(deps.db.pool, log, {
    name: INGEST_ADAPTERS_LOCK,
    checkMs: deps.takeOverMs,
    onLead: start,
    onFollow: stopAdapters,
  });
  deps.server.metrics.registry.removeSingleMetric(LEADING_METRIC);
  new Gauge({
    name: LEADING_METRIC,
    help: '1 while this ingest process runs the OPC-UA and MQTT adapters; 0 while another one does',
    registers: [deps.server.metrics.registry],
    collect() {
      this.set(leadership.leading() ? 1 : 0);
    },
  });

  return {
    /** This process runs the adapters now. */
    leading: () => leadership.leading(),
    opcua: () => opcua,
    mqtt: () => mqtt,
    stop: () => leadership.stop(stopAdapters),
  };
}
export type IngestAdapters = ReturnType<typeof startIngestAdapters>;
