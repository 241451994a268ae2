import type { ColumnType, Generated } from 'kysely';

export interface WeeklyReportTable {
  id: Generated<number>;
  site_id: number;
  /** 'YYYY-MM-DD', a Monday on the site's calendar. */
  week_start: string;
  period_from: Date;
  period_to: Date;
  status: Generated<string>;
  pdf: Buffer | null;
  size_bytes: number | null;
  error: string | null;
  trigger: Generated<string>;
  requested_by: number | null;
  generated_at: ColumnType<Date, Date | undefined, Date>;
  emailed_at: Date | null;
  email_recipients: number | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    weekly_reports: WeeklyReportTable;
  }
}
