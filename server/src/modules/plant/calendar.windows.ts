import { DateTime } from 'luxon';

export interface Shift {
  weekday: number;
  start: string;
  end: string;
  name?: string | undefined;
}

export interface ShiftCalendar {
  shifts: Shift[];
  non_working_dates: string[];
}

export interface Window {
  start: Date;
  end: Date;
}

/**
 * The planned production windows of a calendar within [from, to), as instants. Shifts are wall-clock
 * times in the site's time zone, so a shift keeps its local hours across daylight-saving changes (and
 * is an hour shorter or longer that night). Overlapping shifts are merged; the result is sorted.
 */
export function plannedWindows(calendar: ShiftCalendar, timeZone: string, from: Date, to: Date): Window[] {
  if (to.getTime() <= from.getTime()) return [];
  const holidays = new Set(calendar.non_working_dates);
  const windows: Window[] = [];
  // Start a day early: a shift that began yesterday evening may run into the period.
  let day = DateTime.fromJSDate(from, { zone: timeZone }).startOf('day').minus({ days: 1 });
  const last = DateTime.fromJSDate(to, { zone: timeZone }).endOf('day');
  for (; day <= last; day = day.plus({ days: 1 })) {
    if (holidays.has(day.toISODate() ?? '')) continue;
    for (const shift of calendar.shifts) {
      if (shift.weekday !== day.weekday) continue;
      const start = atTime(day, shift.start);
      let end = atTime(day, shift.end);
      if (end <= start) end = atTime(day.plus({ days: 1 }), shift.end);
      const clippedStart = Math.max(start.toMillis(), from.getTime());
      const clippedEnd = Math.min(end.toMillis(), to.getTime());
      if (clippedEnd > clippedStart)
        windows.push({ start: new Date(clippedStart), end: new Date(clippedEnd) });
    }
  }
  return merge(windows);
}

export function windowSeconds(windows: readonly Window[]): number {
  return windows.reduce((total, w) => total + (w.end.getTime() - w.start.getTime()) / 1000, 0);
}

function atTime(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour: hour ?? 0, minute: minute ?? 0, second: 0, millisecond: 0 });
}

function merge(windows: Window[]): Window[] {
  const sorted = [...windows].sort((a, b) => a.start.getTime() - b.start.getTime());
  const merged: Window[] = [];
  for (const w of sorted) {
    const previous = merged.at(-1);
    if (previous && w.start.getTime() <= previous.end.getTime()) {
      if (w.end.getTime() > previous.end.getTime()) previous.end = w.end;
    } else merged.push({ ...w });
  }
  return merged;
}

/** One shift as it happens (or the site's day when it plans around the clock: `name` null). */
export interface ShiftInstance {
  start: Date;
  end: Date;
  name: string | null;
}

/**
 * The shift running at `at` (the latest started when shifts overlap), else the last one that ended
 * in the week before; null when the calendar has no shift in that week. Non-working dates have none.
 */
export function shiftAt(calendar: ShiftCalendar, timeZone: string, at: Date): ShiftInstance | null {
  const holidays = new Set(calendar.non_working_dates);
  const moment = DateTime.fromJSDate(at, { zone: timeZone });
  let running: ShiftInstance | null = null;
  let ended: ShiftInstance | null = null;
  for (let back = 8; back >= 0; back -= 1) {
    const day = moment.startOf('day').minus({ days: back });
    if (holidays.has(day.toISODate() ?? '')) continue;
    for (const shift of calendar.shifts) {
      if (shift.weekday !== day.weekday) continue;
      const start = atTime(day, shift.start);
      let end = atTime(day, shift.end);
      if (end <= start) end = atTime(day.plus({ days: 1 }), shift.end);
      const instance = { start: start.toJSDate(), end: end.toJSDate(), name: shift.name ?? null };
      if (start <= moment && moment < end) {
        if (!running || instance.start > running.start) running = instance;
      } else if (end <= moment && (!ended || instance.end > ended.end)) ended = instance;
    }
  }
  return running ?? ended;
}

/** The local calendar day around `at` in the site's time zone. */
export function dayAt(timeZone: string, at: Date): ShiftInstance {
  const day = DateTime.fromJSDate(at, { zone: timeZone }).startOf('day');
  return { start: day.toJSDate(), end: day.plus({ days: 1 }).toJSDate(), name: null };
}
