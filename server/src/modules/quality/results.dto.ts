import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';
import { VERDICTS } from './ingest.dto.ts';

const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const text = (max: number) => z.string().trim().min(1).max(max);
const cursor = z.object({ measured_at: z.coerce.date(), id: z.number().int().positive() });

export const resultFilterInput = z.object({
  site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  /** The plant's machine code. */
  machine_id: text(60).optional(),
  product_id: text(60).optional(),
  test_step: text(80).optional(),
  verdict: z.enum(VERDICTS).optional(),
  barcode: text(100).optional(),
  from: instant.optional(),
  to: instant.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type ResultFilter = z.output<typeof resultFilterInput>;

export const machineRefParam = z.object({ machine_id: text(60) });
export const barcodeParam = z.object({ barcode: text(100) });

export const qualityMetricsInput = z.object({
  site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  machine_id: text(60).optional(),
  product_id: text(60).optional(),
  test_step: text(80).optional(),
  from: instant.optional(),
  to: instant.optional(),
  bucket: z.enum(['hour', 'day']).optional(),
});
export type QualityMetricsInput = z.output<typeof qualityMetricsInput>;

const counts = z.object({
  total_tests: z.number(),
  pass_count: z.number(),
  fail_count: z.number(),
  no_limit_count: z.number(),
  /** PASS ÷ (PASS + FAIL); null when nothing was judged. */
  pass_rate: z.number().nullable(),
});
export type QualityCounts = z.output<typeof counts>;

export const qualityMetricsOutput = counts.extend({
  from: z.date(),
  to: z.date(),
  buckets: z.array(counts.extend({ bucket_start: z.date() })).optional(),
});
export type QualityMetricsOutput = z.output<typeof qualityMetricsOutput>;
