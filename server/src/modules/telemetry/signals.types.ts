/** What a machine reports about itself, whichever wire it came over (docs/connectivity.md). */
export const MACHINE_STATES = ['running', 'idle', 'stopped', 'fault', 'setup', 'unknown'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

export const COUNT_KINDS = ['cycle', 'good', 'reject'] as const;
export type CountKind = (typeof COUNT_KINDS)[number];

export type SignalSource = 'opcua' | 'mqtt' | 'http';
export type StaleSource = SignalSource | 'readings';

export interface MachineRef {
  machine_id: number;
  site_id: number;
}

export interface StateSignal extends MachineRef {
  state: MachineState;
  raw_value: string | null;
  source: SignalSource | 'cycles';
  at: Date;
}

export interface CountSignal extends MachineRef {
  kind: CountKind;
  counter_value: number;
  source: SignalSource;
  at: Date;
}

/** A state change that was stored: the previous state ended at `at`. */
export interface StateChange extends MachineRef {
  state: MachineState;
  previous: { state: MachineState; started_at: Date } | null;
  at: Date;
}

/** A counter value that was stored, with its increase over the previous one. */
export interface StoredCount extends MachineRef {
  kind: CountKind;
  counter_value: number;
  delta: number;
  reset: boolean;
  at: Date;
}

/** PostgreSQL NOTIFY channel: every stored state change and count, for live views in any process. */
export const SIGNAL_CHANNEL = 'hom_machine_signals';
