import { z } from 'zod';

export const VERDICTS = ['PASS', 'FAIL', 'NO_LIMIT'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** The most results one request may carry. */
export const MAX_RESULTS_PER_REQUEST = 10_000;

const code = (what: string) =>
  z
    .string({ error: `the ${what} code` })
    .trim()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_./-]{0,59}$/,
      '1–60 letters, digits or _ . / -, starting with a letter or digit',
    );

/** ISO 8601 with or without an offset; one without is read in the machine's site time zone. */
const timestamp = z
  .string({ error: 'an ISO 8601 date and time, e.g. 2023-10-27T10:00:00 or 2023-10-27T10:00:00+02:00' })
  .max(40)
  .pipe(
    z.iso.datetime({
      offset: true,
      local: true,
      error: 'an ISO 8601 date and time, e.g. 2023-10-27T10:00:00 or 2023-10-27T10:00:00+02:00',
    }),
  );

/** One result exactly as the test stations send it. */
export const ingestItem = z.object({
  barcode: z
    .string({ error: 'the unit’s serial number' })
    .trim()
    .min(1, 'required')
    .max(100)
    .regex(/^[\x21-\x7E]+$/, 'printable characters without spaces'),
  machine_id: code('machine'),
  product_id: code('product'),
  test_step: z
    .string({ error: 'the test step name' })
    .trim()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_./ -]{0,79}$/, '1–80 letters, digits, spaces or _ . / -'),
  measured_value: z.number({ error: 'a number' }).finite('a finite number'),
  timestamp,
  unit: z.string().trim().max(20).nullable().optional(),
});
export type IngestItem = z.output<typeof ingestItem>;

/** A validated result ready for the pipeline: machine resolved, instant fixed. */
export interface ResultRow {
  site_id: number;
  machine_id: number;
  machine_code: string;
  barcode: string;
  product_code: string;
  test_step: string;
  measured_value: number;
  unit: string | null;
  /** UTC, ISO 8601 (`toISOString`). */
  measured_at: string;
}

export const ingestAccepted = z.object({ message: z.string(), accepted: z.number() });

/** A stored result, as read back and as pushed live. */
export const resultOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  barcode: z.string(),
  product_id: z.string(),
  test_step: z.string(),
  measured_value: z.number(),
  unit: z.string().nullable(),
  timestamp: z.date(),
  received_at: z.date(),
  verdict: z.enum(VERDICTS),
  lower_limit: z.number().nullable(),
  upper_limit: z.number().nullable(),
});
export type ResultOutput = z.output<typeof resultOutput>;
