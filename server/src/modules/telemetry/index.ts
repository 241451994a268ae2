/**
 * Telemetry: what machines report by themselves (OPC-UA, MQTT, HTTP): states, counters, readings,
 * stale periods; automatic downtime and the live machine board build on it (docs/connectivity.md).
 */
import type {} from './telemetry.schema.ts';

export {
  MACHINE_STATES,
  COUNT_KINDS,
  SIGNAL_CHANNEL,
  type MachineState,
  type CountKind,
  type SignalSource,
  type StaleSource,
  type MachineRef,
  type StateSignal,
  type CountSignal,
  type StateChange,
  type StoredCount,
} from './signals.types.ts';
export {
  createSignalRecorder,
  type SignalRecorder,
  type SignalHooks,
  type RecordMachineCycles,
} from './signals.service.ts';
export { statesBetween, staleBetween, type StateRow, type StaleRow } from './signals.repository.ts';
export {
  createOpcuaModule,
  startOpcuaIngest,
  type OpcuaIngest,
  type OpcuaEndpointStatus,
  type CommittedSignal,
} from './opcua/index.ts';
export { createReadingWriter, type ReadingWriter } from './reading.writer.ts';
export {
  startMqttIngest,
  type MqttIngestConfig,
  type MqttIngestDeps,
  type RunningMqttIngest,
} from './mqtt/mqtt.ingest.ts';
export type { ReadingRow, StoredPair } from './reading.types.ts';
export { ensureReadingPartitionsAhead } from './reading.partitions.ts';
export { checkStaleReadings } from './reading.stale.ts';
export { readingSeries } from './reading.service.ts';
export { sparklines, type Sparkline } from './reading.series.repository.ts';
export type { SeriesOutput, SeriesPoint } from './reading.dto.ts';
export { checkAutomaticStops, type StopCheckResult } from './auto-downtime.service.ts';
export { microStops } from './auto-downtime.micro-stops.ts';
export { STOP_STATES, type MicroStops } from './auto-downtime.rules.ts';

import type { Database } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { createSignalRecorder, type RecordMachineCycles } from './signals.service.ts';
import { createReadingsPart } from './reading.module.ts';
import { createBoardPart, type BoardPartDeps } from './board.module.ts';
import { createAutoDowntimeHooks } from './auto-downtime.service.ts';
import { createAutoDowntimeService } from './auto-downtime.settings.ts';
import { autoDowntimeRoutes } from './auto-downtime.routes.ts';

/**
 * The telemetry module as modules.ts wires it. Each part (readings, OPC-UA, MQTT, automatic downtime,
 * the machine board) adds its services, routes and GraphQL here.
 */
export function createTelemetryModule(deps: {
  db: Database;
  recordMachineCycles: RecordMachineCycles;
  log?: Logger;
  /** The live machine board's links to identity, tools and KPIs (docs/machine-board.md). */
  board?: Omit<BoardPartDeps, 'db'>;
}) {
  // Automatic downtime: a machine running again ends its automatic stop (docs/auto-downtime.md).
  const signals = createSignalRecorder({
    recordMachineCycles: deps.recordMachineCycles,
    hooks: createAutoDowntimeHooks(),
  });
  const routes: ((app: HomApp) => Promise<void>)[] = [];
  const graphql: ((builder: Builder) => void)[] = [];
  // Readings: the writer adapters use, thresholds, alerts, series (docs/readings.md).
  const readings = createReadingsPart({ db: deps.db, log: deps.log ?? createLogger('info'), signals });
  routes.push(readings.routes);
  graphql.push(readings.graphql);
  // The live machine board: GET /machines/board, GET /machines/{id}/states, GET /ws/machines.
  const board = deps.board ? createBoardPart({ db: deps.db, ...deps.board }) : undefined;
  if (board) {
    routes.push(...board.routes);
    graphql.push(board.graphql);
  }
  // Stop settings per machine and micro-stops (the unexplained queue is the maintenance module's).
  const autoDowntime = createAutoDowntimeService({ db: deps.db });
  routes.push(autoDowntimeRoutes(autoDowntime));
  return { db: deps.db, signals, readings, board, autoDowntime, routes, graphql };
}
export type TelemetryModule = ReturnType<typeof createTelemetryModule>;
