import type { ColumnType, Generated } from 'kysely';

export interface FailureReportTable {
  id: Generated<number>;
  site_id: number;
  tool_id: number | null;
  machine_id: number | null;
  failure_code_id: number;
  severity: string;
  description: string;
  occurred_at: Date;
  containment_action: string | null;
  reported_by: number | null;
  reported_at: ColumnType<Date, never, never>;
  action_item_id: ColumnType<number | null, never, number>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    failure_reports: FailureReportTable;
  }
}
