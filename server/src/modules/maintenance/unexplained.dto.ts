import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const comment = z.string().trim().max(2000).nullable().optional();

/** What made HOM open an automatic stop (downtimes.cause, migration 0019). */
export const STOP_CAUSES = ['stopped', 'fault', 'idle', 'setup', 'no_cycle'] as const;
export type StopCause = (typeof STOP_CAUSES)[number];

const cursor = z.object({ start_at: z.coerce.date(), id: z.number().int().positive() });

export const unexplainedFilterInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  machine_id: id.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type UnexplainedFilter = z.output<typeof unexplainedFilterInput>;

export const unexplainedOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  machine_name: z.string(),
  line_id: z.number(),
  start_datetime: z.date(),
  end_datetime: z.date().nullable(),
  /** Up to now while the stop is open. */
  duration_seconds: z.number(),
  open: z.boolean(),
  cause: z.enum(STOP_CAUSES).nullable(),
  planned: z.boolean(),
  comment: z.string().nullable(),
  split_from_id: z.number().nullable(),
});
export type UnexplainedOutput = z.output<typeof unexplainedOutput>;

export const explainInput = z
  .object({
    reason_id: id,
    comment,
  })
  .strict();
export type ExplainInput = z.output<typeof explainInput>;

export const MAX_SPLIT_PARTS = 20;

export const splitPartInput = z
  .object({
    /** Where this part ends; every part but the last has one (the last runs to the stop's end). */
    until: instant.optional(),
    /** Null leaves the part in the queue of unexplained stops. */
    reason_id: id.nullable(),
    comment,
  })
  .strict();

export const splitInput = z
  .object({
    parts: z
      .array(splitPartInput)
      .min(2, 'a split has at least two parts')
      .max(MAX_SPLIT_PARTS, `a split has at most ${MAX_SPLIT_PARTS} parts`),
  })
  .strict();
export type SplitInput = z.output<typeof splitInput>;
