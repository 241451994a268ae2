import { z } from 'zod';

const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time like 06:00');

export const shiftCalendarInput = z
  .object({
    shifts: z
      .array(
        z.object({
          weekday: z.number().int().min(1, 'ISO weekday: 1 = Monday … 7 = Sunday').max(7),
          start: time,
          end: time,
          name: z.string().trim().max(60).optional(),
        }),
      )
      .max(100),
    non_working_dates: z.array(z.iso.date('a date like 2026-12-25')).max(1000).default([]),
  })
  .strict();
export type ShiftCalendarInput = z.output<typeof shiftCalendarInput>;

export const shiftCalendarOutput = z.object({
  site_id: z.number(),
  around_the_clock: z.boolean(),
  shifts: z.array(
    z.object({ weekday: z.number(), start: z.string(), end: z.string(), name: z.string().optional() }),
  ),
  non_working_dates: z.array(z.string()),
  planned_hours_per_week: z.number(),
});
export type ShiftCalendarOutput = z.output<typeof shiftCalendarOutput>;
