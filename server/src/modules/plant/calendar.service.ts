import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { ShiftCalendarInput, ShiftCalendarOutput } from './calendar.dto.ts';
import { findCalendar, saveCalendar, siteTimeZone } from './calendar.repository.ts';
import {
  dayAt,
  plannedWindows,
  shiftAt,
  windowSeconds,
  type ShiftCalendar,
  type ShiftInstance,
  type Window,
} from './calendar.windows.ts';
import { siteNotFound } from './plant.errors.ts';

const A_MONDAY = new Date('2024-01-01T00:00:00Z');

function describe(
  siteId: number,
  calendar: ShiftCalendar | undefined,
  timeZone: string,
): ShiftCalendarOutput {
  const shifts = calendar?.shifts ?? [];
  const week = new Date(A_MONDAY.getTime() + 7 * 86_400_000);
  return {
    site_id: siteId,
    around_the_clock: shifts.length === 0,
    shifts,
    non_working_dates: calendar?.non_working_dates ?? [],
    planned_hours_per_week:
      shifts.length === 0
        ? 168
        : windowSeconds(plannedWindows({ shifts, non_working_dates: [] }, timeZone, A_MONDAY, week)) / 3600,
  };
}

/** Each site's shift calendar: when it plans to produce (default: around the clock). */
export function createCalendarService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;

  async function zoneOrThrow(tx: Tx, siteId: number): Promise<string> {
    const zone = await siteTimeZone(tx, siteId);
    if (!zone) throw siteNotFound(`No site with id ${siteId}`);
    return zone;
  }

  return {
    async get(request: RequestContext, siteId: number): Promise<ShiftCalendarOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) =>
        describe(siteId, await findCalendar(tx, siteId), await zoneOrThrow(tx, siteId)),
      );
    },

    async set(
      request: RequestContext,
      siteId: number,
      input: ShiftCalendarInput,
    ): Promise<ShiftCalendarOutput> {
      const ctx = requirePermission(request, 'catalog:manage');
      requireSite(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const zone = await zoneOrThrow(tx, siteId);
        const before = describe(siteId, await findCalendar(tx, siteId), zone);
        await saveCalendar(tx, siteId, input, ctx.actor.kind === 'user' ? ctx.actor.id : null);
        const after = describe(siteId, input, zone);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'shift_calendar',
          entityId: siteId,
          siteId,
          before,
          after,
        });
        return after;
      });
    },
  };
}
export type CalendarService = ReturnType<typeof createCalendarService>;

/**
 * For KPIs, inside the caller's transaction: the planned windows of a site within [from, to), or null
 * when the site produces around the clock (no calendar, or an empty one).
 */
export async function plannedWindowsOf(
  tx: Tx,
  siteId: number,
  from: Date,
  to: Date,
): Promise<Window[] | null> {
  const calendar = await findCalendar(tx, siteId);
  if (!calendar || calendar.shifts.length === 0) return null;
  const zone = await siteTimeZone(tx, siteId);
  return zone ? plannedWindows(calendar, zone, from, to) : null;
}

/**
 * The site's shift at `at` in the caller's transaction (the running one, else the last one ended);
 * the site's local day when it plans around the clock; null for an unknown site.
 */
export async function currentShiftOf(tx: Tx, siteId: number, at: Date): Promise<ShiftInstance | null> {
  const zone = await siteTimeZone(tx, siteId);
  if (!zone) return null;
  const calendar = await findCalendar(tx, siteId);
  if (!calendar || calendar.shifts.length === 0) return dayAt(zone, at);
  return shiftAt(calendar, zone, at) ?? dayAt(zone, at);
}
