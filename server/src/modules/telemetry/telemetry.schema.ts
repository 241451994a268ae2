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

/** Raw readings, partitioned by month of recorded_at (migration 0017). */
export interface MachineReadingTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  reading_type: string;
  value: number;
  unit: string | null;
  recorded_at: Date;
  received_at: Generated<Date>;
}

/** A per-minute or per-hour rollup bucket of one machine and reading type. */
export interface ReadingRollupTable {
  site_id: number;
  machine_id: number;
  reading_type: string;
  bucket: Date;
  n: number;
  sum: number;
  min: number;
  max: number;
  first_at: Date;
  last_value: number;
  last_at: Date;
  unit: string | null;
}

export interface ReadingThresholdTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  reading_type: string;
  low: number | null;
  high: number | null;
  stale_after_seconds: number | null;
  updated_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ReadingAlertTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  reading_type: string;
  kind: string;
  threshold: number;
  first_value: number;
  peak_value: number;
  unit: string | null;
  opened_at: Date;
  closed_at: Date | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    machine_readings: MachineReadingTable;
    machine_readings_1m: ReadingRollupTable;
    machine_readings_1h: ReadingRollupTable;
    reading_thresholds: ReadingThresholdTable;
    reading_alerts: ReadingAlertTable;
    machine_states: MachineStateTable;
    machine_counts: MachineCountTable;
    machine_stale_periods: MachineStalePeriodTable;
  }
}
