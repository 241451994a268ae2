import { api } from '../../lib/api.ts';

/** One shift on an ISO weekday (1 = Monday … 7 = Sunday), local wall-clock times "HH:MM". */
export interface Shift {
  weekday: number;
  start: string;
  end: string;
  name?: string;
}

export interface ShiftCalendar {
  site_id: number;
  around_the_clock: boolean;
  shifts: Shift[];
  non_working_dates: string[];
  planned_hours_per_week: number;
}

export interface ShiftCalendarInput {
  shifts: Shift[];
  non_working_dates: string[];
}

export const weekdays = [1, 2, 3, 4, 5, 6, 7] as const;
export const workdays = [1, 2, 3, 4, 5];

export const calendarKeys = {
  all: ['shift-calendar'] as const,
  site: (siteId: number) => ['shift-calendar', siteId] as const,
};

export const fetchCalendar = (siteId: number) => api.get<ShiftCalendar>(`/sites/${siteId}/shift-calendar`);
export const saveCalendar = (siteId: number, input: ShiftCalendarInput) =>
  api.put<ShiftCalendar>(`/sites/${siteId}/shift-calendar`, input);

/** A shift whose end is at or before its start runs past midnight into the next day. */
export const isOvernight = (shift: Pick<Shift, 'start' | 'end'>) => shift.end <= shift.start;

const shiftOrder = (a: Shift, b: Shift) =>
  a.weekday - b.weekday || a.start.localeCompare(b.start) || a.end.localeCompare(b.end);

/** Shifts in a stable order (weekday, then start), so server error indices match what is shown. */
export const sortShifts = (shifts: Shift[]) => [...shifts].sort(shiftOrder);

export const sortDates = (dates: string[]) => [...new Set(dates)].sort();

/** The same calendar, written the same way: used to tell whether the draft differs from the saved one. */
export function sameCalendar(a: ShiftCalendarInput, b: ShiftCalendarInput): boolean {
  const norm = (value: ShiftCalendarInput) =>
    JSON.stringify({
      shifts: sortShifts(value.shifts).map((s) => [s.weekday, s.start, s.end, s.name ?? '']),
      dates: sortDates(value.non_working_dates),
    });
  return norm(a) === norm(b);
}

export type TemplateId = 'one' | 'two' | 'three' | 'always';
export const templateIds: TemplateId[] = ['one', 'two', 'three', 'always'];

type ShiftKind = 'early' | 'late' | 'night';
const templateShifts: Record<TemplateId, [ShiftKind, string, string][]> = {
  one: [['early', '06:00', '14:00']],
  two: [
    ['early', '06:00', '14:00'],
    ['late', '14:00', '22:00'],
  ],
  three: [
    ['early', '06:00', '14:00'],
    ['late', '14:00', '22:00'],
    ['night', '22:00', '06:00'],
  ],
  always: [],
};

/** The shifts of a quick template, Monday to Friday; names come from `nameOf` (the reader's language). */
export function templateCalendar(id: TemplateId, nameOf: (kind: ShiftKind) => string): Shift[] {
  return sortShifts(
    workdays.flatMap((weekday) =>
      templateShifts[id].map(([kind, start, end]) => ({ weekday, start, end, name: nameOf(kind) })),
    ),
  );
}
