import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const comment = z.string().trim().max(2000).nullable().optional();
const flag = z
  .enum(['true', 'false'])
  .transform((value) => value === 'true')
  .or(z.boolean());

export const createDowntimeInput = z.object({
  machine_id: id,
  start_datetime: instant.optional(),
  end_datetime: instant.nullable().optional(),
  planned: z.boolean().default(false),
  reason_id: id.nullable().optional(),
  comment,
});
export type CreateDowntimeInput = z.output<typeof createDowntimeInput>;

export const updateDowntimeInput = z
  .object({
    start_datetime: instant.optional(),
    end_datetime: instant.nullable().optional(),
    planned: z.boolean().optional(),
    reason_id: id.nullable().optional(),
    comment,
  })
  .strict();
export type UpdateDowntimeInput = z.output<typeof updateDowntimeInput>;

export const endDowntimeInput = z.object({ end_datetime: instant.optional() });

const cursor = z.object({ start_at: z.coerce.date(), id: z.number().int().positive() });

export const downtimeFilterInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  machine_id: id.optional(),
  open: flag.optional(),
  planned: flag.optional(),
  reason_id: id.optional(),
  unexplained: flag.optional(),
  from: instant.optional(),
  to: instant.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type DowntimeFilter = z.output<typeof downtimeFilterInput>;

export const downtimeOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  line_id: z.number(),
  start_datetime: z.date(),
  end_datetime: z.date().nullable(),
  duration_seconds: z.number(),
  planned: z.boolean(),
  reason_id: z.number().nullable(),
  reason_code: z.string().nullable(),
  reason_name: z.string().nullable(),
  comment: z.string().nullable(),
  source: z.string(),
  reported_by: z.number().nullable(),
  repair_ids: z.array(z.number()),
  created_at: z.date(),
  updated_at: z.date(),
});
export type DowntimeOutput = z.output<typeof downtimeOutput>;
