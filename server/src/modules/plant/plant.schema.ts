import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface LineTable {
  id: Generated<number>;
  site_id: number;
  code: string;
  name: string;
  description: string | null;
  status: Generated<string>;
  notes: string | null;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface MachineTable {
  id: Generated<number>;
  site_id: number;
  line_id: number;
  code: string;
  name: string;
  asset_number: string | null;
  serial_number: string | null;
  manufacturer: string | null;
  model: string | null;
  machine_type: string | null;
  status: Generated<string>;
  criticality: Generated<string>;
  commissioned_on: ColumnType<string | null, string | null, string | null>;
  notes: string | null;
  is_active: Generated<boolean>;
  /** numeric: PostgreSQL returns it as a string. */
  ideal_cycle_seconds: ColumnType<string | null, number | null | undefined, number | null>;
  stop_threshold_seconds: Generated<number>;
  no_cycle_factor: ColumnType<string, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    lines: LineTable;
    machines: MachineTable;
  }
}
