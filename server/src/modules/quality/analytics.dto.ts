import { z } from 'zod';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const text = (max: number) => z.string().trim().min(1).max(max);

export const tilesInput = z.object({ site_id: id.optional() });

export const machineTileOutput = z.object({
  machine_key: z.number(),
  machine_id: z.string(),
  machine_name: z.string(),
  site_id: z.number(),
  line_id: z.number(),
  line_code: z.string(),
  last_verdict: z.string().nullable(),
  last_seen: z.date().nullable(),
  hour_total: z.number(),
  hour_pass: z.number(),
  hour_fail: z.number(),
  /** PASS ÷ (PASS + FAIL) over the last 60 minutes; null when nothing was judged. */
  hour_pass_rate: z.number().nullable(),
  open_alerts: z.number(),
  /** red: last FAIL or an alert not yet acknowledged; grey: nothing judged in the last 60 minutes; amber: pass rate under the site's threshold over at least min_sample results; green otherwise. */
  colour: z.enum(['green', 'amber', 'red', 'grey']),
});

export const topFailuresInput = z.object({
  site_id: id.optional(),
  machine_id: text(60).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type TopFailuresInput = z.output<typeof topFailuresInput>;

export const topFailureOutput = z.object({
  product_id: z.string(),
  test_step: z.string(),
  fail_count: z.number(),
  total: z.number(),
  fail_rate: z.number(),
});

export const spcInput = z.object({
  site_id: id.optional(),
  product_id: text(60),
  test_step: text(80),
  machine_id: text(60).optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce.number().int().min(2).max(1000).default(200),
});
export type SpcInputQuery = z.output<typeof spcInput>;

export const spcOutput = z.object({
  product_id: z.string(),
  test_step: z.string(),
  points: z.array(
    z.object({
      id: z.number(),
      timestamp: z.date(),
      value: z.number(),
      moving_range: z.number().nullable(),
      barcode: z.string(),
      verdict: z.string(),
    }),
  ),
  n: z.number(),
  mean: z.number().nullable(),
  mr_bar: z.number().nullable(),
  sigma: z.number().nullable(),
  ucl: z.number().nullable(),
  lcl: z.number().nullable(),
  mr_ucl: z.number().nullable(),
  cp: z.number().nullable(),
  cpk: z.number().nullable(),
  reason: z.string().nullable(),
  lower_limit: z.number().nullable(),
  upper_limit: z.number().nullable(),
  target: z.number().nullable(),
  unit: z.string().nullable(),
});
