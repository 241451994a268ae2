import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';
import {
  ACTION_EVENT_KINDS,
  ACTION_PRIORITIES,
  ACTION_SOURCES,
  ACTION_STATUSES,
} from './action-item.schema.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const bodyId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T16:00:00+01:00';
/** An ISO 8601 instant; one without an offset is read as UTC. */
const instant = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }))
  .transform((value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const title = z.string().trim().min(1, 'required').max(200, 'at most 200 characters');
const longText = z.string().trim().max(4000, 'at most 4000 characters');
const bool = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .or(z.boolean());

export const actionIdParam = z.object({ id });

export const createActionInput = z
  .object({
    site_id: bodyId.optional(),
    title,
    description: longText.nullable().optional(),
    priority: z.enum(ACTION_PRIORITIES).default('medium'),
    assignee_id: bodyId.nullable().optional(),
    due_at: instant.nullable().optional(),
    machine_id: bodyId.nullable().optional(),
    tool_id: bodyId.nullable().optional(),
  })
  .strict();
export type CreateActionInput = z.output<typeof createActionInput>;

export const updateActionInput = z
  .object({
    title: title.optional(),
    description: longText.nullable().optional(),
    priority: z.enum(ACTION_PRIORITIES).optional(),
    assignee_id: bodyId.nullable().optional(),
    due_at: instant.nullable().optional(),
    note: longText.min(1).optional(),
  })
  .strict()
  .refine((input) => Object.keys(input).some((key) => key !== 'note'), {
    message: 'name at least one of title, description, priority, assignee_id, due_at',
  });
export type UpdateActionInput = z.output<typeof updateActionInput>;

export const transitionActionInput = z
  .object({
    status: z.enum(ACTION_STATUSES),
    /** Why (cancel, reopen) or what was done (complete: kept as the resolution). */
    note: longText.min(1).nullable().optional(),
  })
  .strict();
export type TransitionActionInput = z.output<typeof transitionActionInput>;

export const commentActionInput = z.object({ note: longText.min(1, 'required') }).strict();

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(200)
    .transform((value) => value.split(',').map((item) => item.trim()))
    .pipe(z.array(z.enum(values)).min(1));

export const actionFilterInput = z.object({
  status: csv(ACTION_STATUSES).optional(),
  /** A user id, `mine` (the caller) or `none` (unassigned). */
  assignee: z.union([z.enum(['mine', 'none']), id]).optional(),
  site_id: id.optional(),
  source: csv(ACTION_SOURCES).optional(),
  source_id: id.optional(),
  machine_id: id.optional(),
  tool_id: id.optional(),
  overdue: bool.optional(),
  due_before: instant.optional(),
  due_after: instant.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, z.object({ id: z.number().int().positive() }), ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ActionFilter = z.output<typeof actionFilterInput>;

export const actionOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  site_code: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  source: z.enum(ACTION_SOURCES),
  source_id: z.number().nullable(),
  machine_id: z.number().nullable(),
  machine_code: z.string().nullable(),
  tool_id: z.number().nullable(),
  tool_asset_number: z.string().nullable(),
  priority: z.enum(ACTION_PRIORITIES),
  assignee_id: z.number().nullable(),
  assignee_name: z.string().nullable(),
  due_at: z.date().nullable(),
  status: z.enum(ACTION_STATUSES),
  resolution: z.string().nullable(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
  completed_at: z.date().nullable(),
  completed_by: z.number().nullable(),
  escalation_level: z.number(),
  /** Open or in progress and past its due time (now). */
  overdue: z.boolean(),
});
export type ActionOutput = z.output<typeof actionOutput>;

export const actionEventOutput = z.object({
  id: z.number(),
  at: z.date(),
  actor_user_id: z.number().nullable(),
  actor_name: z.string().nullable(),
  kind: z.enum(ACTION_EVENT_KINDS),
  from_value: z.string().nullable(),
  to_value: z.string().nullable(),
  note: z.string().nullable(),
});
export type ActionEventOutput = z.output<typeof actionEventOutput>;

export const actionDetailOutput = actionOutput.extend({
  events: z.array(actionEventOutput),
  /** Status moves the caller may make now. */
  allowed_transitions: z.array(z.enum(ACTION_STATUSES)),
  /** The caller may edit title, assignee, due date (action:manage). */
  can_manage: z.boolean(),
});
export type ActionDetailOutput = z.output<typeof actionDetailOutput>;

export const actionPageOutput = z.object({
  items: z.array(actionOutput),
  next_cursor: z.string().nullable(),
});
