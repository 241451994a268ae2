import { z } from 'zod';

/** Longest period of GET /kpi/oee and of the drill-down (which lists counts per hour). */
export const OEE_MAX_DAYS = 366;
export const DRILLDOWN_MAX_DAYS = 31;
const DAY_MS = 86_400_000;

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-02T06:00:00+01:00' });
const shift = z
  .string()
  .trim()
  .min(1, 'a shift name of the site’s calendar, e.g. Early')
  .max(60, 'a shift name has at most 60 characters')
  .optional();

function checkPeriod(maxDays: number) {
  return (value: { from: Date; to: Date }, ctx: z.RefinementCtx) => {
    if (value.from.getTime() >= value.to.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    } else if (value.to.getTime() - value.from.getTime() > maxDays * DAY_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `A period spans at most ${maxDays} days; ask for a shorter one`,
      });
    }
  };
}

export const oeeQueryInput = z
  .object({
    site_id: id.optional(),
    line_id: id.optional(),
    machine_id: id.optional(),
    from: instant,
    to: instant,
    shift,
  })
  .superRefine((value, ctx) => {
    const given = [value.site_id, value.line_id, value.machine_id].filter((v) => v !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        path: ['machine_id'],
        message: 'Give exactly one of machine_id, line_id, site_id',
      });
    checkPeriod(OEE_MAX_DAYS)(value, ctx);
  });
export type OeeQueryInput = z.input<typeof oeeQueryInput>;

export const oeeDrilldownInput = z
  .object({ machine_id: id, from: instant, to: instant, shift })
  .superRefine(checkPeriod(DRILLDOWN_MAX_DAYS));
export type OeeDrilldownInput = z.input<typeof oeeDrilldownInput>;

export const currentShiftInput = z.object({
  machine_ids: z.array(id).max(1000, 'at most 1000 machines at once'),
});

const nullableShare = z.number().nullable();
const figures = {
  oee: nullableShare,
  availability: nullableShare,
  performance: nullableShare,
  quality: nullableShare,
  reasons: z.object({
    oee: z.string().nullable(),
    availability: z.string().nullable(),
    performance: z.string().nullable(),
    quality: z.string().nullable(),
  }),
  planned_seconds: z.number(),
  excluded_seconds: z.number(),
  planned_stop_seconds: z.number(),
  production_seconds: z.number(),
  unplanned_downtime_seconds: z.number(),
  run_seconds: z.number(),
  cycles: z.number(),
  ideal_seconds: z.number(),
  cycles_without_ideal_time: z.number(),
  excluded_cycles: z.number(),
  quality_source: z.enum(['counters', 'verdicts', 'mixed']).nullable(),
  good: z.number(),
  total: z.number(),
};
export const oeeFiguresOutput = z.object(figures);
const period = z.object({ from: z.date(), to: z.date(), effective_to: z.date() });

export const oeeReportOutput = z.object({
  scope: z.object({ kind: z.enum(['site', 'line', 'machine']), id: z.number() }),
  period,
  time_zone: z.string(),
  around_the_clock: z.boolean(),
  shift: z.string().nullable(),
  ...figures,
  excluded: z.array(
    z.object({ source: z.string(), reason: z.string(), seconds: z.number(), machines: z.number() }),
  ),
  machines: z.array(
    z.object({ machine_id: z.number(), code: z.string(), name: z.string(), line_id: z.number(), ...figures }),
  ),
  shifts: z.array(z.object({ name: z.string(), ...figures })),
  days: z.array(z.object({ day: z.string(), ...figures })),
  notes: z.array(z.string()),
});

const tool = z.object({ id: z.number(), code: z.string() }).nullable();
export const oeeDrilldownOutput = z.object({
  machine: z.object({ id: z.number(), code: z.string(), name: z.string(), line_id: z.number() }),
  period,
  time_zone: z.string(),
  shift: z.string().nullable(),
  figures: oeeFiguresOutput,
  planned_windows: z.array(z.object({ start: z.date(), end: z.date() })),
  downtimes: z.array(
    z.object({
      id: z.number(),
      start: z.date(),
      end: z.date().nullable(),
      planned: z.boolean(),
      source: z.string(),
      comment: z.string().nullable(),
      reason: z
        .object({
          code: z.string(),
          name: z.string(),
          name_ru: z.string().nullable(),
          category_code: z.string(),
          is_failure: z.boolean(),
        })
        .nullable(),
      counted_seconds: z.number(),
    }),
  ),
  stale_periods: z.array(
    z.object({
      source: z.string(),
      reason: z.string(),
      start: z.date(),
      end: z.date().nullable(),
      excluded_seconds: z.number(),
    }),
  ),
  counts_per_hour: z.array(
    z.object({
      hour: z.date(),
      cycles: z.number(),
      good: z.number(),
      reject: z.number(),
      ideal_seconds: z.number(),
      excluded_cycles: z.number(),
      uncounted_cycles: z.number(),
    }),
  ),
  ideal_times: z.array(
    z.object({
      start: z.date(),
      end: z.date(),
      ideal_cycle_seconds: z.number().nullable(),
      source: z.enum(['tool', 'machine']).nullable(),
      tool,
      cycles: z.number(),
      ideal_seconds: z.number(),
    }),
  ),
  verdicts: z.object({
    source: z.enum(['counters', 'verdicts']).nullable(),
    pass: z.number(),
    fail: z.number(),
    no_limit: z.number(),
    excluded: z.number(),
  }),
});
