import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ShiftCalendar } from './calendar.windows.ts';

interface CalendarRow {
  shifts: ShiftCalendar['shifts'];
  non_working_dates: string[];
}

/** Read with plain SQL: the table is small and typed here. Row-level security applies. */
export async function findCalendar(tx: Tx, siteId: number): Promise<ShiftCalendar | undefined> {
  const { rows } = await sql<CalendarRow>`
    select shifts, non_working_dates from shift_calendars where site_id = ${siteId}`.execute(tx);
  return rows[0];
}

export async function saveCalendar(tx: Tx, siteId: number, calendar: ShiftCalendar, userId: number | null) {
  await sql`
    insert into shift_calendars (site_id, shifts, non_working_dates, updated_by)
    values (${siteId}, ${JSON.stringify(calendar.shifts)}::jsonb, ${JSON.stringify(calendar.non_working_dates)}::jsonb, ${userId})
    on conflict (site_id) do update
      set shifts = excluded.shifts, non_working_dates = excluded.non_working_dates,
          updated_by = excluded.updated_by, updated_at = now()`.execute(tx);
}

export async function siteTimeZone(tx: Tx, siteId: number): Promise<string | undefined> {
  const { rows } = await sql<{ time_zone: string }>`select time_zone from sites where id = ${siteId}`.execute(
    tx,
  );
  return rows[0]?.time_zone;
}
