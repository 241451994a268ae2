import type { ColumnType, Generated } from 'kysely';

export interface MachineStateTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  state: string;
  raw_value: string | null;
  source: string;
  started_at: Date;
  ended_at: Date | null;
}

export interface MachineCountTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  kind: string;
  /** bigint: pg returns it as a string. */
  counter_value: ColumnType<string, number, number>;
  delta: ColumnType<string, number, number>;
  at: Date;
  source: string;
}

export interface MachineStalePeriodTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  source: string;
  reason: string;
  started_at: Date;
  ended_at: Date | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    machine_states: MachineStateTable;
    machine_counts: MachineCountTable;
    machine_stale_periods: MachineStalePeriodTable;
  }
}
