import { z } from 'zod';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const INSTANT_HINT = 'an ISO 8601 date and time, e.g. 2026-03-01T06:00:00+01:00';

/** The product code, as the test stations send it in `product_id`. */
export const productCode = z
  .string({ error: 'the product code' })
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$/,
    '1–60 letters, digits or _ . / -, starting with a letter or digit',
  );

export const testStep = z
  .string({ error: 'the test step name' })
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_./ -]{0,79}$/, '1–80 letters, digits, spaces or _ . / -');

const limitValue = z.number({ error: 'a number' }).finite('a finite number').nullable().optional();

export const unit = z
  .string({ error: 'text' })
  .trim()
  .max(20, 'at most 20 characters')
  .nullable()
  .optional()
  .transform((value) => (value ? value : null));

/**
 * An ISO 8601 instant kept as text: one without an offset is read in the site's time zone (as
 * POST /ingest reads a station's timestamp), which only the service knows.
 */
export const instantText = z
  .string({ error: INSTANT_HINT })
  .max(40, INSTANT_HINT)
  .pipe(z.iso.datetime({ offset: true, local: true, error: INSTANT_HINT }));

/** An instant in a query: one without an offset is read as UTC. */
const queryInstant = instantText.transform(
  (value) => new Date(/(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`),
);

export interface LimitValues {
  lower_limit?: number | null | undefined;
  upper_limit?: number | null | undefined;
  target?: number | null | undefined;
}

/**
 * The rules of one version, for the API and the CSV alike: at least one limit, lower ≤ upper, and a
 * target (when given) inside the limits that are given.
 */
export function limitProblems(row: LimitValues): { field: keyof LimitValues; message: string }[] {
  const lower = row.lower_limit ?? null;
  const upper = row.upper_limit ?? null;
  const target = row.target ?? null;
  const problems: { field: keyof LimitValues; message: string }[] = [];
  if (lower === null && upper === null) {
    problems.push({ field: 'lower_limit', message: 'give a lower limit, an upper limit or both' });
  }
  if (lower !== null && upper !== null && lower > upper) {
    problems.push({ field: 'upper_limit', message: `must be at least the lower limit (${lower})` });
  }
  if (target !== null && lower !== null && target < lower) {
    problems.push({ field: 'target', message: `below the lower limit (${lower})` });
  } else if (target !== null && upper !== null && target > upper) {
    problems.push({ field: 'target', message: `above the upper limit (${upper})` });
  }
  return problems;
}

export const createLimitInput = z
  .object({
    site_id: id,
    product_id: productCode,
    test_step: testStep,
    lower_limit: limitValue,
    upper_limit: limitValue,
    target: limitValue,
    unit,
    /** Default: now. */
    effective_from: instantText.optional(),
  })
  .superRefine((row, context) => {
    for (const { field, message } of limitProblems(row)) {
      context.addIssue({ code: 'custom', path: [field], message });
    }
  });
export type CreateLimitInput = z.output<typeof createLimitInput>;

export const listLimitsInput = z.object({
  site_id: id.optional(),
  product_id: z.string().trim().min(1).max(60).optional(),
  test_step: z.string().trim().min(1).max(80).optional(),
  /** Which versions are in force: at this instant (default now). */
  at: queryInstant.optional(),
  /** Every version, newest first, instead of the ones in force. */
  history: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .or(z.boolean())
    .default(false),
});
export type ListLimitsInput = z.output<typeof listLimitsInput>;

export const siteQuery = z.object({ site_id: id.optional() });
export const idParam = z.object({ id });

export const limitOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  product_id: z.string(),
  test_step: z.string(),
  lower_limit: z.number().nullable(),
  upper_limit: z.number().nullable(),
  target: z.number().nullable(),
  unit: z.string().nullable(),
  effective_from: z.date(),
  created_by: z.number().nullable(),
  created_at: z.date(),
  /** The version that applies at `at` (now, unless asked otherwise) to its product and step. */
  in_force: z.boolean(),
});
export type LimitOutput = z.output<typeof limitOutput>;

export const importSummary = z.object({
  /** Versions stored. */
  created: z.number(),
  /** Rows that repeat a stored version exactly (an export imported again). */
  unchanged: z.number(),
  rows: z.number(),
});
export type LimitImportSummary = z.output<typeof importSummary>;
