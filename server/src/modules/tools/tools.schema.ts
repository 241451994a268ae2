import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;
/** bigint columns arrive as strings from pg; the repository casts them to numbers in SQL. */
type BigCount = ColumnType<number, number | undefined, number>;

export interface ToolTable {
  id: Generated<number>;
  site_id: number;
  asset_number: string;
  name: string;
  kind: string;
  manufacturer: string | null;
  cavity_count: number;
  status: Generated<string>;
  storage_location: string | null;
  life_limit_shots: number | null;
  counter_max: number | null;
  /** numeric: PostgreSQL returns it as a string. */
  ideal_cycle_seconds: ColumnType<string | null, number | null | undefined, number | null>;
  notes: string | null;
  total_shots: BigCount;
  last_reading_at: Date | null;
  retired_at: Date | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ToolMountingTable {
  id: Generated<number>;
  tool_id: number;
  site_id: number;
  machine_id: number;
  position: string;
  mounted_at: Date;
  removed_at: Date | null;
  mounted_by: number | null;
  removed_by: number | null;
  created_at: CreatedAt;
}

export interface ToolShotReadingTable {
  id: Generated<number>;
  tool_id: number;
  site_id: number;
  taken_at: Date;
  source: string;
  kind: string;
  counter_value: number | null;
  shots: number | null;
  mounting_id: number | null;
  delta: BigCount;
  is_reset: Generated<boolean>;
  is_rollover: Generated<boolean>;
  note: string | null;
  entered_by: number | null;
  created_at: CreatedAt;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    tools: ToolTable;
    tool_mountings: ToolMountingTable;
    tool_shot_readings: ToolShotReadingTable;
  }
}
