import type { RequestContext } from '../../platform/auth/actor.ts';
import { requirePermission, scopeOf } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { parseInput } from '../../platform/validation.ts';
import { scopeFrom, type KpiScope } from './kpi.dto.ts';
import { kpiScopeNotFound } from './kpi.errors.ts';
import { scopeSiteId } from './kpi.repository.ts';
import { currentShiftOee, type CurrentShiftOee } from './oee.current.ts';
import { drilldownOf, type OeeDrilldown } from './oee.drilldown.ts';
import {
  currentShiftInput,
  oeeDrilldownInput,
  oeeQueryInput,
  type OeeDrilldownInput,
  type OeeQueryInput,
} from './oee.dto.ts';
import { oeeUnknownShift } from './oee.errors.ts';
import { loadOee } from './oee.load.ts';
import { partsOf, summarise, type OeeParts, type OeeSummary } from './oee.report.ts';
import { machinesOfScope, siteCalendar } from './oee.repository.ts';
import { shiftName, type SiteCalendar } from './oee.shifts.ts';

export interface OeeReport extends OeeSummary, OeeParts {
  scope: KpiScope;
  shift: string | null;
}

/** The site's calendar for a visible scope; 404 when the scope is not there or not visible. */
async function calendarOf(tx: Tx, scope: KpiScope): Promise<SiteCalendar> {
  const siteId = await scopeSiteId(tx, scope);
  const calendar = siteId === undefined ? undefined : await siteCalendar(tx, siteId);
  if (!calendar) throw kpiScopeNotFound(`No ${scope.kind} ${scope.id} among the sites you can see`);
  return calendar;
}

function checkShift(calendar: SiteCalendar, shift: string | undefined): void {
  if (shift === undefined) return;
  const names = [...new Set(calendar.shifts.map(shiftName))];
  if (names.includes(shift)) return;
  const message =
    names.length === 0
      ? `The site has no shift calendar (it produces around the clock), so there is no shift "${shift}"`
      : `No shift named "${shift}" in the site's calendar; its shifts: ${names.join(', ')}`;
  throw oeeUnknownShift(message, { errors: [{ field: 'shift', message }], details: { shifts: names } });
}

/** OEE per machine, line, site and shift (docs/kpis.md "OEE"). */
export function createOeeService(deps: { db: Pick<Database, 'transaction'>; clock?: () => Date }) {
  const clock = deps.clock ?? (() => new Date());
  return {
    /** OEE of a site, line or machine over a period (one shift name if asked), with its breakdowns. */
    async oee(request: RequestContext, input: OeeQueryInput): Promise<OeeReport> {
      const ctx = requirePermission(request, 'plant:read');
      const { from, to, shift, ...fields } = parseInput(oeeQueryInput, input);
      const scope = scopeFrom(fields);
      const now = clock();
      return deps.db.transaction(scopeOf(ctx), async (tx) => {
        const calendar = await calendarOf(tx, scope);
        checkShift(calendar, shift);
        const machines = await machinesOfScope(tx, scope);
        const loaded = await loadOee(tx, { machines, calendar, period: { from, to }, now, shift });
        return { scope, shift: shift ?? null, ...summarise(loaded), ...partsOf(loaded, shift) };
      });
    },

    /** The events behind one machine's OEE over a period of at most 31 days. */
    async drilldown(
      request: RequestContext,
      input: OeeDrilldownInput,
    ): Promise<OeeDrilldown & { shift: string | null }> {
      const ctx = requirePermission(request, 'plant:read');
      const { machine_id, from, to, shift } = parseInput(oeeDrilldownInput, input);
      const scope: KpiScope = { kind: 'machine', id: machine_id };
      const now = clock();
      return deps.db.transaction(scopeOf(ctx), async (tx) => {
        const calendar = await calendarOf(tx, scope);
        checkShift(calendar, shift);
        const machines = await machinesOfScope(tx, scope);
        const loaded = await loadOee(tx, { machines, calendar, period: { from, to }, now, shift });
        return { ...(await drilldownOf(tx, loaded)), shift: shift ?? null };
      });
    },

    /**
     * For the live machine board: each visible machine's OEE in the shift running now (site time zone;
     * around the clock: today so far). Machines the caller cannot see are left out.
     */
    async oeeCurrentShift(
      request: RequestContext,
      input: { machine_ids: readonly number[] },
    ): Promise<CurrentShiftOee[]> {
      const ctx = requirePermission(request, 'plant:read');
      const { machine_ids } = parseInput(currentShiftInput, input);
      const now = clock();
      return deps.db.transaction(scopeOf(ctx), (tx) => currentShiftOee(tx, { machine_ids, now }));
    },
  };
}
export type OeeService = ReturnType<typeof createOeeService>;
