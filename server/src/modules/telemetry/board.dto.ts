import { z } from 'zod';
import { MACHINE_STATES } from './signals.types.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** `GET /machines/board?site_id=&line_id=`: one site's or line's machines, or every visible one. */
export const boardQueryInput = z.object({ site_id: id.optional(), line_id: id.optional() }).strict();
export type BoardQuery = z.output<typeof boardQueryInput>;

/** The longest state timeline one call returns. */
export const MAX_TIMELINE_DAYS = 31;
/** Periods one call returns at most (a machine flapping every few seconds); `truncated` says so. */
export const MAX_TIMELINE_PERIODS = 5_000;

export const timelineQueryInput = z
  .object({ from: z.coerce.date().optional(), to: z.coerce.date().optional() })
  .strict()
  .superRefine((value, ctx) => {
    if (value.from && value.to && value.from.getTime() >= value.to.getTime())
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    if (value.from && value.to && value.to.getTime() - value.from.getTime() > MAX_TIMELINE_DAYS * 86_400_000)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `A timeline spans at most ${MAX_TIMELINE_DAYS} days: ask for a shorter period`,
      });
  });
export type TimelineQuery = z.output<typeof timelineQueryInput>;

export const machineIdParams = z.object({ machine_id: id });

const oeeOutput = z.object({
  oee: z.number().nullable(),
  availability: z.number().nullable(),
  performance: z.number().nullable(),
  quality: z.number().nullable(),
});
export type BoardOee = z.output<typeof oeeOutput>;

const sparklineOutput = z.object({
  reading_type: z.string(),
  unit: z.string().nullable(),
  last_value: z.number(),
  last_at: z.date(),
  /** [ISO minute, average] pairs, oldest first. */
  points: z.array(z.tuple([z.string(), z.number()])),
});
export type BoardSparkline = z.output<typeof sparklineOutput>;

const boardStates = [...MACHINE_STATES] as [string, ...string[]];

export const boardMachineOutput = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  site_id: z.number(),
  line: z.object({ id: z.number(), code: z.string(), name: z.string() }),
  /** The open state period; 'unknown' with `since` null when the machine never reported one. */
  state: z.enum(boardStates),
  state_since: z.date().nullable(),
  /** Sources silent now: the board shows the machine as stale while any is open. */
  stale: z.array(z.object({ source: z.string(), reason: z.string(), since: z.date() })),
  tools: z.array(
    z.object({
      tool_id: z.number(),
      asset_number: z.string(),
      name: z.string(),
      position: z.string(),
      total_shots: z.number(),
      life_limit_shots: z.number().nullable(),
      life_used_percent: z.number().nullable(),
    }),
  ),
  last_cycle_at: z.date().nullable(),
  /** The site's shift now (or the last one ended); the site's day when it plans around the clock. */
  shift: z.object({ start: z.date(), end: z.date(), name: z.string().nullable() }).nullable(),
  /** Counter increases since the shift started. */
  counts: z.object({ cycle: z.number(), good: z.number(), reject: z.number() }),
  /** OEE this shift (docs/kpis.md); null when it cannot be computed yet. */
  oee: oeeOutput.nullable(),
  sparklines: z.array(sparklineOutput),
});
export type BoardMachine = z.output<typeof boardMachineOutput>;

export const boardOutput = z.object({
  generated_at: z.date(),
  machines: z.array(boardMachineOutput),
});
export type Board = z.output<typeof boardOutput>;

const period = {
  /** Clipped to [from, to]. */
  start: z.date(),
  end: z.date(),
  /** The period runs on now (its end is the clip). */
  open: z.boolean(),
};

export const timelineOutput = z.object({
  machine_id: z.number(),
  from: z.date(),
  to: z.date(),
  states: z.array(
    z.object({
      state: z.enum(boardStates),
      raw_value: z.string().nullable(),
      source: z.string(),
      ...period,
    }),
  ),
  stale: z.array(z.object({ source: z.string(), reason: z.string(), ...period })),
  /** More periods than one call returns: ask for a shorter range. */
  truncated: z.boolean(),
});
export type Timeline = z.output<typeof timelineOutput>;
