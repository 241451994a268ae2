import { z } from 'zod';
import { READING_TYPE_PATTERN, SERIES_BUCKETS } from './reading.types.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00';
/** An ISO 8601 instant; one without an offset is read as UTC (never as the server's local time). */
const instant = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }))
  .transform((value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`));
const readingType = z
  .string()
  .trim()
  .toLowerCase()
  .regex(READING_TYPE_PATTERN, 'a name like temperature, pressure or speed');

export const machineRefParam = z.object({ machine_id: z.string().trim().min(1).max(60) });
export const thresholdParam = machineRefParam.extend({ reading_type: readingType });

// ---------- raw readings (POST/GET /machines/{machine_id}/readings, unchanged since production) ----------

export const readingInput = z.object({
  reading_type: readingType,
  value: z.number().finite(),
  unit: z.string().trim().max(20).nullable().optional(),
  timestamp: instant.optional(),
});
export const readingsInput = z.union([readingInput, z.array(readingInput).min(1).max(1000)]);
export type ReadingInput = z.output<typeof readingInput>;

export const readingOutput = z.object({
  id: z.number(),
  machine_id: z.number(),
  reading_type: z.string(),
  value: z.number(),
  unit: z.string().nullable(),
  timestamp: z.date(),
  received_at: z.date(),
});
export type ReadingOutput = z.output<typeof readingOutput>;

export const readingFilterInput = z.object({
  reading_type: z.string().trim().max(40).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type ReadingFilter = z.output<typeof readingFilterInput>;

// ---------- chart series ----------

export const seriesInput = z.object({
  reading_type: readingType,
  bucket: z.enum(SERIES_BUCKETS).default('1m'),
  from: instant.optional(),
  to: instant.optional(),
});
export type SeriesInput = z.output<typeof seriesInput>;

export const seriesPoint = z.object({
  t: z.date(),
  n: z.number(),
  avg: z.number(),
  min: z.number(),
  max: z.number(),
  last: z.number(),
});
export type SeriesPoint = z.output<typeof seriesPoint>;

export const seriesOutput = z.object({
  machine_id: z.number(),
  reading_type: z.string(),
  bucket: z.enum(SERIES_BUCKETS),
  from: z.date(),
  to: z.date(),
  unit: z.string().nullable(),
  /** Raw series only: more readings than MAX_RAW_POINTS lie in the range (the newest are returned). */
  truncated: z.boolean(),
  points: z.array(seriesPoint),
});
export type SeriesOutput = z.output<typeof seriesOutput>;

export const readingTypeOutput = z.object({
  reading_type: z.string(),
  unit: z.string().nullable(),
  last_value: z.number(),
  last_at: z.date(),
  /** No reading for longer than the type's stale limit (configured or the default rule). */
  stale: z.boolean(),
  stale_after_seconds: z.number().nullable(),
  low: z.number().nullable(),
  high: z.number().nullable(),
});
export type ReadingTypeOutput = z.output<typeof readingTypeOutput>;

// ---------- thresholds ----------

const limit = z.number().finite().nullable().optional();
export const thresholdInput = z
  .object({
    low: limit,
    high: limit,
    stale_after_seconds: z
      .number()
      .int()
      .refine((value) => value === 0 || (value >= 10 && value <= 604_800), {
        message: '0 (never stale) or 10 to 604800 seconds (7 days)',
      })
      .nullable()
      .optional(),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.low == null && input.high == null && input.stale_after_seconds == null)
      ctx.addIssue({ code: 'custom', message: 'give low, high or stale_after_seconds', path: ['high'] });
    if (input.low != null && input.high != null && input.low >= input.high)
      ctx.addIssue({ code: 'custom', message: 'must be above low', path: ['high'] });
  });
export type ThresholdInput = z.output<typeof thresholdInput>;

export const thresholdOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  reading_type: z.string(),
  low: z.number().nullable(),
  high: z.number().nullable(),
  stale_after_seconds: z.number().nullable(),
  updated_by: z.number().nullable(),
  updated_at: z.date(),
});
export type ThresholdOutput = z.output<typeof thresholdOutput>;

// ---------- alerts ----------

export const alertFilterInput = z.object({
  site_id: id.optional(),
  machine_id: id.optional(),
  open: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AlertFilter = z.output<typeof alertFilterInput>;

export const alertOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  reading_type: z.string(),
  kind: z.enum(['high', 'low']),
  threshold: z.number(),
  first_value: z.number(),
  peak_value: z.number(),
  unit: z.string().nullable(),
  opened_at: z.date(),
  closed_at: z.date().nullable(),
});
export type AlertOutput = z.output<typeof alertOutput>;
