import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';
import { CHECK_RESULTS, LOG_KINDS } from './maintenance-log.schema.ts';
import { instant } from './tools.dto.ts';

export { LOG_KINDS, CHECK_RESULTS } from './maintenance-log.schema.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .optional();

export const logIdParam = z.object({ id });
export const logPhotoParam = z.object({ log_id: id });

export const checkAnswerInput = z
  .object({
    /** The template step answered (its id in the template's items). */
    item_id: id,
    result: z.enum(CHECK_RESULTS, { error: 'ok, not_ok or na' }),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .strict();
export type CheckAnswerInput = z.output<typeof checkAnswerInput>;

export const createLogInput = z
  .object({
    tool_id: id.optional(),
    machine_id: id.optional(),
    pm_plan_id: id.optional(),
    /** Default: pm when a plan is named, else required. */
    kind: z.enum(LOG_KINDS).optional(),
    /** Who did the work; default: the person writing the log. */
    performed_by: id.optional(),
    started_at: instant,
    duration_minutes: z
      .number({ error: 'a whole number of minutes' })
      .int('a whole number of minutes')
      .min(1, 'at least 1 minute')
      .max(100_000, 'at most 100000 minutes'),
    findings: z.string().trim().max(8000).nullable().optional(),
    follow_up_required: z.boolean().default(false),
    follow_up: z.string().trim().max(4000).nullable().optional(),
    /** Default: the plan's checklist, when the log is for a plan that has one. */
    checklist_template_id: id.nullable().optional(),
    checks: z.array(checkAnswerInput).max(200).default([]),
  })
  .strict()
  .superRefine((input, ctx) => {
    if ((input.tool_id === undefined) === (input.machine_id === undefined))
      ctx.addIssue({ code: 'custom', path: ['tool_id'], message: 'name either a tool_id or a machine_id' });
    if (input.pm_plan_id !== undefined && input.kind !== undefined && input.kind !== 'pm')
      ctx.addIssue({ code: 'custom', path: ['kind'], message: 'a log for a PM plan is of kind pm' });
    if (input.pm_plan_id === undefined && input.kind === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: 'say what was done: pm, repair, inspection, cleaning or other',
      });
    if (input.pm_plan_id !== undefined && input.machine_id !== undefined)
      ctx.addIssue({ code: 'custom', path: ['pm_plan_id'], message: 'PM plans are for tools' });
    if (input.follow_up_required && !input.follow_up)
      ctx.addIssue({ code: 'custom', path: ['follow_up'], message: 'say what the follow-up is' });
    input.checks.forEach((check, index) => {
      if (check.result === 'not_ok' && !check.note)
        ctx.addIssue({
          code: 'custom',
          path: ['checks', index, 'note'],
          message: 'a step that is not ok needs a note saying what is wrong',
        });
    });
  });
export type CreateLogInput = z.output<typeof createLogInput>;

const cursor = z.object({ started_at: z.coerce.date(), id: z.number().int().positive() });

export const logFilterInput = z.object({
  site_id: id.optional(),
  tool_id: id.optional(),
  machine_id: id.optional(),
  pm_plan_id: id.optional(),
  kind: z.enum(LOG_KINDS).optional(),
  performed_by: id.optional(),
  follow_up_required: bool,
  from: instant.optional(),
  to: instant.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type LogFilter = z.output<typeof logFilterInput>;

export const logCheckOutput = z.object({
  position: z.number(),
  item: z.string(),
  required: z.boolean(),
  result: z.enum(CHECK_RESULTS),
  note: z.string().nullable(),
});

export const logOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  tool_id: z.number().nullable(),
  tool_asset_number: z.string().nullable(),
  machine_id: z.number().nullable(),
  machine_code: z.string().nullable(),
  pm_plan_id: z.number().nullable(),
  pm_plan_name: z.string().nullable(),
  checklist_template_id: z.number().nullable(),
  checklist_template_name: z.string().nullable(),
  kind: z.enum(LOG_KINDS),
  performed_by: z.number(),
  performed_by_name: z.string(),
  started_at: z.date(),
  duration_minutes: z.number(),
  findings: z.string().nullable(),
  follow_up_required: z.boolean(),
  follow_up: z.string().nullable(),
  action_item_id: z.number().nullable(),
  shots_at: z.number().nullable(),
  checks: z.array(logCheckOutput),
  /** Steps answered not ok. */
  not_ok_count: z.number(),
  created_by: z.number().nullable(),
  created_at: z.date(),
});
export type LogOutput = z.output<typeof logOutput>;
export const logPageOutput = z.object({ items: z.array(logOutput), next_cursor: z.string().nullable() });
