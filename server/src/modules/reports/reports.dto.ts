import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const day = z.iso.date({ error: 'a date as YYYY-MM-DD, e.g. 2026-03-02' });

export interface ReportSite {
  id: number;
  code: string;
  name: string;
  time_zone: string;
}

export interface FailureCodeCount {
  code: string;
  name: string;
  reports: number;
  repairs: number;
  total: number;
}

export interface OverdueAction {
  id: number;
  title: string;
  priority: string;
  status: string;
  due_at: Date;
  assignee: string | null;
  days_late: number;
}

export interface ToolNearLimit {
  id: number;
  asset_number: string;
  name: string;
  total_shots: number;
  life_limit_shots: number;
  share: number;
}

export interface PmPlanUsage {
  id: number;
  name: string;
  asset_number: string;
  tool_name: string;
  every_shots: number | null;
  every_days: number | null;
  warn_at_share: number;
  shots_since: number;
  days_since: number;
  responsible: string | null;
  /** The state the tools module last stored (used when no evaluator is given). */
  stored_state: string;
}

export interface PmPlanDue extends PmPlanUsage {
  state: 'due' | 'overdue';
  share: number;
}

export const weeklyReportIdInput = z.object({ id });

const cursor = z.object({ week_start: z.iso.date(), id: z.number().int().positive() });

export const weeklyReportFilterInput = z.object({
  site_id: id.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type WeeklyReportFilter = z.output<typeof weeklyReportFilterInput>;

export const generateWeeklyReportInput = z
  .object({
    site_id: id,
    /** Any day of the week wanted (on the site's calendar); default: the last complete week. */
    week: day.optional(),
  })
  .strict();
export type GenerateWeeklyReportInput = z.output<typeof generateWeeklyReportInput>;

export const weeklyReportOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  site_code: z.string(),
  site_name: z.string(),
  week_start: z.string(),
  period_from: z.date(),
  period_to: z.date(),
  status: z.string(),
  size_bytes: z.number().nullable(),
  error: z.string().nullable(),
  trigger: z.string(),
  requested_by: z.number().nullable(),
  generated_at: z.date(),
  emailed_at: z.date().nullable(),
  email_recipients: z.number().nullable(),
});
export type WeeklyReportRow = z.output<typeof weeklyReportOutput>;
