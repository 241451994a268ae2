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

import type { Database } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { HomApp } from '../../platform/http/types.ts';
import { createSignalRecorder, type RecordMachineCycles } from './signals.service.ts';

/**
 * The telemetry module as modules.ts wires it. Each part (readings, OPC-UA, MQTT, automatic downtime,
 * the machine board) adds its services, routes and GraphQL here.
 */
export function createTelemetryModule(deps: { db: Database; recordMachineCycles: RecordMachineCycles }) {
  const signals = createSignalRecorder({ recordMachineCycles: deps.recordMachineCycles });
  const routes: ((app: HomApp) => Promise<void>)[] = [];
  const graphql: ((builder: Builder) => void)[] = [];
  return { db: deps.db, signals, routes, graphql };
}
export type TelemetryModule = ReturnType<typeof createTelemetryModule>;
