import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';
import { PM_STATES } from './pm.due.ts';
import { instant, MAX_SHOTS } from './tools.dto.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .optional();

export const planIdParam = z.object({ id });
export const planToolParam = z.object({ tool_id: id });

const everyShots = z
  .number({ error: 'a whole number of shots' })
  .int('a whole number')
  .positive('must be greater than 0')
  .max(MAX_SHOTS, `at most ${MAX_SHOTS}`)
  .nullable();
const everyDays = z
  .number({ error: 'a whole number of days' })
  .int('a whole number')
  .min(1, 'at least 1 day')
  .max(3650, 'at most 3650 days (10 years)')
  .nullable();
const warnAtShare = z
  .number({ error: 'a share between 0.5 and 1, e.g. 0.9 for 90 %' })
  .min(0.5, 'at least 0.5 (50 %)')
  .max(1, 'at most 1 (100 %)');

const planFields = {
  name: z.string().trim().min(1, 'name the plan, e.g. "Clean vents"').max(200),
  every_shots: everyShots,
  every_days: everyDays,
  warn_at_share: warnAtShare,
  checklist_template_id: id.nullable(),
  responsible_user_id: id.nullable(),
  is_active: z.boolean(),
  /** When it was last done before HOM knew the plan; the count starts there. */
  last_done_at: instant,
  /** The tool's shot total when it was last done; default: the total at that time. */
  shots_at_last_done: z.number().int().min(0).max(MAX_SHOTS),
};

const needsInterval = (value: { every_shots?: number | null; every_days?: number | null }) =>
  value.every_shots != null || value.every_days != null;
const intervalMessage = {
  message: 'give every_shots, every_days or both',
  path: ['every_shots'],
};

export const createPlanInput = z
  .object({
    name: planFields.name,
    every_shots: planFields.every_shots.optional(),
    every_days: planFields.every_days.optional(),
    warn_at_share: planFields.warn_at_share.default(0.9),
    checklist_template_id: planFields.checklist_template_id.optional(),
    responsible_user_id: planFields.responsible_user_id.optional(),
    last_done_at: planFields.last_done_at.optional(),
    shots_at_last_done: planFields.shots_at_last_done.optional(),
  })
  .strict()
  .refine(needsInterval, intervalMessage);
export type CreatePlanInput = z.output<typeof createPlanInput>;

export const updatePlanInput = z
  .object({
    name: planFields.name,
    every_shots: planFields.every_shots,
    every_days: planFields.every_days,
    warn_at_share: planFields.warn_at_share,
    checklist_template_id: planFields.checklist_template_id,
    responsible_user_id: planFields.responsible_user_id,
    is_active: planFields.is_active,
  })
  .partial()
  .strict();
export type UpdatePlanInput = z.output<typeof updatePlanInput>;

const cursor = z.object({ id: z.number().int().positive() });

export const planFilterInput = z.object({
  site_id: id.optional(),
  tool_id: id.optional(),
  state: z.enum(PM_STATES).optional(),
  responsible_user_id: id.optional(),
  include_inactive: bool,
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type PlanFilter = z.output<typeof planFilterInput>;

export const planOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  tool_id: z.number(),
  tool_asset_number: z.string(),
  tool_name: z.string(),
  name: z.string(),
  every_shots: z.number().nullable(),
  every_days: z.number().nullable(),
  warn_at_share: z.number(),
  checklist_template_id: z.number().nullable(),
  checklist_template_name: z.string().nullable(),
  responsible_user_id: z.number().nullable(),
  responsible_name: z.string().nullable(),
  is_active: z.boolean(),
  last_done_at: z.date(),
  shots_at_last_done: z.number(),
  last_log_id: z.number().nullable(),
  /** Evaluated now from the tool's shots and the clock (the stored state can lag until the next check). */
  state: z.enum(PM_STATES),
  share: z.number(),
  shots_since: z.number(),
  days_since: z.number(),
  shots_share: z.number().nullable(),
  days_share: z.number().nullable(),
  /** Mean shots per day of the tool over the last 30 days. */
  shots_per_day: z.number().nullable(),
  /** When the plan comes due, estimated from the days and the shot rate; null when unknown. */
  next_due_at: z.date().nullable(),
  /** Shot total at which it comes due; null for a days-only plan. */
  due_at_shots: z.number().nullable(),
  action_item_id: z.number().nullable(),
  warned_at: z.date().nullable(),
  due_raised_at: z.date().nullable(),
  overdue_notified_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type PlanOutput = z.output<typeof planOutput>;
export const planPageOutput = z.object({ items: z.array(planOutput), next_cursor: z.string().nullable() });
