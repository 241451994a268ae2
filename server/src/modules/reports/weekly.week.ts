import { DateTime } from 'luxon';

/** A week on a site's calendar: Monday 00:00 to the next Monday 00:00 in its time zone. */
export interface ReportWeek {
  /** 'YYYY-MM-DD' of the Monday. */
  week_start: string;
  /** 'YYYY-MM-DD' of the Sunday. */
  week_end: string;
  from: Date;
  to: Date;
}

/** The job writes last week's report from this hour on Monday, site time. */
export const REPORT_HOUR = 6;

function weekFrom(monday: DateTime): ReportWeek {
  const start = monday.startOf('day');
  return {
    week_start: start.toISODate() ?? '',
    week_end: start.plus({ days: 6 }).toISODate() ?? '',
    from: start.toJSDate(),
    to: start.plus({ weeks: 1 }).toJSDate(),
  };
}

/** The week (Mon–Sun) that holds `day` ('YYYY-MM-DD') on the site's calendar. */
export function weekContaining(day: string, timeZone: string): ReportWeek {
  return weekFrom(DateTime.fromISO(day, { zone: timeZone }).startOf('week'));
}

/** The last week that has ended on the site's clock at `now`. */
export function lastCompleteWeek(now: Date, timeZone: string): ReportWeek {
  return weekFrom(DateTime.fromJSDate(now, { zone: timeZone }).startOf('week').minus({ weeks: 1 }));
}

/**
 * The week whose report should exist at `now`: last week once it is Monday 06:00 on the site's clock,
 * before that the week before it (so a job that missed Monday catches up later in the week).
 */
export function dueWeek(now: Date, timeZone: string): ReportWeek {
  const local = DateTime.fromJSDate(now, { zone: timeZone });
  const monday = local.startOf('week');
  const weeksBack = local >= monday.set({ hour: REPORT_HOUR }) ? 1 : 2;
  return weekFrom(monday.minus({ weeks: weeksBack }));
}

/** 'YYYY-MM-DD' of `at` on the site's clock. */
export function localDay(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toISODate() ?? at.toISOString().slice(0, 10);
}
