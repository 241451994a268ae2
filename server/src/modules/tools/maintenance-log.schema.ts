import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, never, never>;

export const LOG_KINDS = ['pm', 'repair', 'inspection', 'cleaning', 'other'] as const;
export type LogKind = (typeof LOG_KINDS)[number];
export const CHECK_RESULTS = ['ok', 'not_ok', 'na'] as const;
export type CheckResult = (typeof CHECK_RESULTS)[number];

export interface MaintenanceLogTable {
  id: Generated<number>;
  site_id: number;
  tool_id: number | null;
  machine_id: number | null;
  pm_plan_id: number | null;
  checklist_template_id: number | null;
  kind: LogKind;
  performed_by: number;
  started_at: Date;
  duration_minutes: number;
  findings: string | null;
  follow_up_required: boolean;
  follow_up: string | null;
  action_item_id: number | null;
  shots_at: number | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface MaintenanceLogCheckTable {
  id: Generated<number>;
  log_id: number;
  site_id: number;
  position: number;
  item: string;
  required: boolean;
  result: CheckResult;
  note: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    maintenance_logs: MaintenanceLogTable;
    maintenance_log_checks: MaintenanceLogCheckTable;
  }
}
