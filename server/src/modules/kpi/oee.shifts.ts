/**
 * The site's shift calendar as OEE needs it: windows per shift name, local days, the buckets that
 * output is summed in, and the shift running now. Expansion itself is the plant module's
 * `plannedWindows` (local wall-clock times, daylight-saving aware), applied shift by shift.
 */
import { DateTime } from 'luxon';
import { plannedWindows } from '../plant/index.ts';
import type { Bucket } from './oee.calculations.ts';
import { union, type Span } from './oee.intervals.ts';

export interface CalendarShift {
  weekday: number;
  start: string;
  end: string;
  name?: string | undefined;
}

export interface SiteCalendar {
  time_zone: string;
  /** Empty: the site produces around the clock. */
  shifts: CalendarShift[];
  non_working_dates: string[];
}

export interface NamedWindows {
  name: string;
  spans: Span[];
}

/** A shift's name, or its hours when it has none ("06:00–14:00"). */
export function shiftName(shift: CalendarShift): string {
  return shift.name?.trim() || `${shift.start}–${shift.end}`;
}

/** Each shift name's windows within the period, in calendar order; null when around the clock. */
export function namedWindows(calendar: SiteCalendar, period: Span): NamedWindows[] | null {
  if (calendar.shifts.length === 0) return null;
  const byName = new Map<string, Span[]>();
  for (const shift of calendar.shifts) {
    const windows = plannedWindows(
      { shifts: [shift], non_working_dates: calendar.non_working_dates },
      calendar.time_zone,
      new Date(period.start),
      new Date(period.end),
    );
    const name = shiftName(shift);
    byName.set(name, [
      ...(byName.get(name) ?? []),
      ...windows.map((w) => ({ start: w.start.getTime(), end: w.end.getTime() })),
    ]);
  }
  return [...byName].map(([name, spans]) => ({ name, spans: union(spans) }));
}

/** Planned time of the site in the period: all shifts together, or the whole period. */
export function plannedSpans(named: readonly NamedWindows[] | null, period: Span): Span[] {
  if (named === null) return period.end > period.start ? [{ ...period }] : [];
  return union(named.flatMap((n) => n.spans));
}

/** The local calendar day of an instant, e.g. "2025-03-03". */
export function localDay(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).toISODate() ?? '';
}

/** The local days of a period, each as the span of it inside the period. */
export function localDays(period: Span, timeZone: string): { day: string; span: Span }[] {
  const days: { day: string; span: Span }[] = [];
  let day = DateTime.fromMillis(period.start, { zone: timeZone }).startOf('day');
  while (day.toMillis() < period.end) {
    const next = day.plus({ days: 1 });
    days.push({
      day: day.toISODate() ?? '',
      span: { start: Math.max(day.toMillis(), period.start), end: Math.min(next.toMillis(), period.end) },
    });
    day = next;
  }
  return days;
}

/**
 * The period cut at every shift window edge and local midnight: inside one bucket the shift names,
 * the day and planned-or-not do not change, so output summed per bucket adds up to any shift or day.
 */
export function buildBuckets(
  period: Span,
  named: readonly NamedWindows[] | null,
  timeZone: string,
): Bucket[] {
  if (period.end <= period.start) return [];
  const cuts = new Set<number>([period.start, period.end]);
  for (const { span } of localDays(period, timeZone)) cuts.add(span.start);
  for (const n of named ?? []) for (const s of n.spans) cuts.add(s.start).add(s.end);
  const points = [...cuts].filter((p) => p >= period.start && p <= period.end).sort((a, b) => a - b);
  const buckets: Bucket[] = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const start = points[i] as number;
    const shifts = (named ?? [])
      .filter((n) => n.spans.some((s) => s.start <= start && start < s.end))
      .map((n) => n.name);
    buckets.push({
      start,
      end: points[i + 1] as number,
      day: localDay(start, timeZone),
      shifts,
      planned: named === null || shifts.length > 0,
    });
  }
  return buckets;
}

/** The shift running at `now` (the one that began last when shifts overlap); null when none is. */
export function currentShift(
  calendar: SiteCalendar,
  now: Date,
): { name: string; start: Date; end: Date } | null {
  const around = { start: now.getTime() - 2 * 86_400_000, end: now.getTime() + 2 * 86_400_000 };
  let found: { name: string; start: Date; end: Date } | null = null;
  for (const { name, spans } of namedWindows(calendar, around) ?? []) {
    for (const span of spans) {
      if (span.start > now.getTime() || span.end <= now.getTime()) continue;
      if (!found || span.start > found.start.getTime())
        found = { name, start: new Date(span.start), end: new Date(span.end) };
    }
  }
  return found;
}
