import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const REPORT_STATUSES = ['open', 'closed'] as const;

/** Days until the raised action is due when the report names no date. */
export const DEFAULT_DUE_DAYS: Record<Severity, number> = { critical: 1, high: 3, medium: 7, low: 14 };
/** These notify the site's managers and technicians at once. */
export const URGENT_SEVERITIES: readonly Severity[] = ['high', 'critical'];

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00';
/** An ISO 8601 instant; one without an offset is read as UTC (never as the server's local time). */
const instant = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }))
  .transform((value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const text = (max: number) => z.string().trim().max(max).nullable().optional();

export const reportIdParam = z.object({ id });

export const createFailureReportInput = z
  .object({
    /** The tool that failed; with machine_id too when it failed while mounted. */
    tool_id: id.nullable().optional(),
    machine_id: id.nullable().optional(),
    failure_code_id: id,
    /** Defaults to the failure code's default severity. */
    severity: z.enum(SEVERITIES).optional(),
    description: z.string().trim().min(1, 'describe what happened').max(4000),
    /** Defaults to now; never in the future. */
    occurred_at: instant.optional(),
    containment_action: text(4000),
    /** Who should fix it (the action item's assignee); an active member of the report's site. */
    assignee_id: id.nullable().optional(),
    /** When the action is due; default by severity (critical 1 day, high 3, medium 7, low 14). */
    due_at: instant.nullable().optional(),
  })
  .strict()
  .refine((input) => input.tool_id != null || input.machine_id != null, {
    message: 'name the tool or the machine that failed (or both)',
    path: ['tool_id'],
  });
export type CreateFailureReportInput = z.output<typeof createFailureReportInput>;

const cursor = z.object({ occurred_at: z.coerce.date(), id: z.number().int().positive() });

export const failureReportFilterInput = z
  .object({
    site_id: id.optional(),
    tool_id: id.optional(),
    machine_id: id.optional(),
    failure_code_id: id.optional(),
    severity: z.enum(SEVERITIES).optional(),
    status: z.enum(REPORT_STATUSES).optional(),
    /** Occurred at or after. */
    from: instant.optional(),
    /** Occurred before. */
    to: instant.optional(),
    cursor: z
      .string()
      .max(200)
      .transform((value, ctx) => decodeCursor(value, cursor, ctx))
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from.getTime() < filter.to.getTime(), {
    message: 'from must be before to',
    path: ['to'],
  });
export type FailureReportFilter = z.output<typeof failureReportFilterInput>;

export const failureReportOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  tool_id: z.number().nullable(),
  tool_asset_number: z.string().nullable(),
  tool_name: z.string().nullable(),
  machine_id: z.number().nullable(),
  machine_code: z.string().nullable(),
  machine_name: z.string().nullable(),
  failure_code_id: z.number(),
  failure_code: z.string(),
  failure_name: z.string(),
  severity: z.enum(SEVERITIES),
  description: z.string(),
  occurred_at: z.date(),
  containment_action: z.string().nullable(),
  reported_by: z.number().nullable(),
  reported_by_name: z.string().nullable(),
  reported_at: z.date(),
  /** open while its action item is open or in progress; closed once it is completed or cancelled. */
  status: z.enum(REPORT_STATUSES),
  action_item_id: z.number().nullable(),
  action_status: z.string().nullable(),
  action_assignee_id: z.number().nullable(),
  action_due_at: z.date().nullable(),
  photo_count: z.number(),
});
export type FailureReportOutput = z.output<typeof failureReportOutput>;

export const failureReportPage = z.object({
  items: z.array(failureReportOutput),
  next_cursor: z.string().nullable(),
});
