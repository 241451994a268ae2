import { z } from 'zod';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });

export const machineParam = z.object({ machine_id: id });

/** The longest period a micro-stop count covers in one request. */
export const MAX_MICRO_STOP_DAYS = 31;

/** A period [from, to); by default the last 24 hours. */
export const periodInput = z.object({ from: instant.optional(), to: instant.optional() });
export type PeriodInput = z.output<typeof periodInput>;

export const microStopSummaryInput = periodInput.extend({
  site_id: id.optional(),
  line_id: id.optional(),
});
export type MicroStopSummaryInput = z.output<typeof microStopSummaryInput>;

export const microStopsOutput = z.object({
  count: z.number(),
  total_seconds: z.number(),
  threshold_seconds: z.number(),
});

export const microStopSummaryOutput = z.object({
  from: z.date(),
  to: z.date(),
  count: z.number(),
  total_seconds: z.number(),
  machines: z.array(
    microStopsOutput.extend({ machine_id: z.number(), machine_code: z.string(), machine_name: z.string() }),
  ),
});

export const downtimeSettingsInput = z
  .object({
    /** A stop at least this long becomes a downtime; shorter ones are micro-stops. */
    stop_threshold_seconds: z.number().int().min(5).max(86_400),
    /** No cycle for factor × the ideal cycle time is a stop. */
    no_cycle_factor: z.number().min(1).max(1000),
    /** Null: only a mounted tool's ideal cycle time applies. */
    ideal_cycle_seconds: z
      .number()
      .positive()
      .max(86_400)
      // numeric(10, 3) would round a fourth decimal away silently.
      .refine((value) => Math.abs(value * 1000 - Math.round(value * 1000)) < 1e-6, 'at most 3 decimals')
      .nullable(),
  })
  .strict();
export type DowntimeSettingsInput = z.output<typeof downtimeSettingsInput>;

export const downtimeSettingsOutput = z.object({
  machine_id: z.number(),
  site_id: z.number(),
  stop_threshold_seconds: z.number(),
  no_cycle_factor: z.number(),
  ideal_cycle_seconds: z.number().nullable(),
  /** The tool mounted now (one with an ideal cycle time first). */
  mounted_tool: z
    .object({
      tool_id: z.number(),
      asset_number: z.string(),
      name: z.string(),
      ideal_cycle_seconds: z.number().nullable(),
    })
    .nullable(),
  /** What the no-cycle rule uses now: the mounted tool's ideal cycle time, else the machine's. */
  effective_ideal_cycle_seconds: z.number().nullable(),
});
