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
