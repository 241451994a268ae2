import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;
type UpdatedAt = ColumnType<Date, never, Date>;

export interface DowntimeCategoryTable {
  id: Generated<number>;
  code: string;
  name: string;
  name_ru: string | null;
  is_failure: Generated<boolean>;
  is_active: Generated<boolean>;
  sort_order: Generated<number>;
}

export interface DowntimeReasonTable {
  id: Generated<number>;
  category_id: number;
  code: string;
  name: string;
  name_ru: string | null;
  is_active: Generated<boolean>;
  sort_order: Generated<number>;
}

export interface FailureCodeTable {
  id: Generated<number>;
  code: string;
  name: string;
  description: string | null;
  default_severity: Generated<string>;
  is_active: Generated<boolean>;
}

export interface DowntimeTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  start_at: Date;
  end_at: Date | null;
  planned: Generated<boolean>;
  reason_id: number | null;
  comment: string | null;
  source: Generated<string>;
  reported_by: number | null;
  /** Automatic stops: the machine state that caused it, or 'no_cycle' (migration 0019). */
  cause: ColumnType<string | null, string | null | undefined, string | null>;
  /** A part of a split stop: the stop it was split from. */
  split_from_id: ColumnType<number | null, number | null | undefined, number | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RepairTable {
  id: Generated<number>;
  site_id: number;
  machine_id: number;
  repair_type: string;
  status: string;
  start_at: Date;
  end_at: Date | null;
  description: string;
  failure_code_id: number | null;
  actions_taken: string | null;
  cost: ColumnType<string | null, number | null, number | null>;
  downtime_id: number | null;
  created_by: number | null;
  updated_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface RepairTechnicianTable {
  repair_id: number;
  user_id: number;
  site_id: number;
}

export interface RepairPartTable {
  id: Generated<number>;
  repair_id: number;
  site_id: number;
  part: string;
  quantity: ColumnType<string, number, number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    downtime_categories: DowntimeCategoryTable;
    downtime_reasons: DowntimeReasonTable;
    failure_codes: FailureCodeTable;
    downtimes: DowntimeTable;
    repairs: RepairTable;
    repair_technicians: RepairTechnicianTable;
    repair_parts: RepairPartTable;
  }
}
