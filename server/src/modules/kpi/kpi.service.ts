import type { RequestContext } from '../../platform/auth/actor.ts';
import { requirePermission, scopeOf } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { parseInput } from '../../platform/validation.ts';
import { plannedWindowsOf, windowSeconds } from '../plant/index.ts';
import { computeKpis, effectiveEnd, plannedSecondsAroundTheClock } from './kpi.calculations.ts';
import {
  kpiPeriodInput,
  kpiScopeInput,
  scopeFrom,
  type KpiPeriodInput,
  type KpiReport,
  type KpiScopeInput,
} from './kpi.dto.ts';
import { kpiScopeNotFound } from './kpi.errors.ts';
import { loadScopeDowntime, scopeSiteId } from './kpi.repository.ts';

export function createKpiService(deps: { db: Pick<Database, 'transaction'>; clock?: () => Date }) {
  const clock = deps.clock ?? (() => new Date());
  return {
    /** Downtime, failures, MTTR, MTBF, availability and Pareto for one site, line or machine (docs/kpis.md). */
    async kpis(
      request: RequestContext,
      scopeInput: KpiScopeInput,
      periodInput: KpiPeriodInput,
    ): Promise<KpiReport> {
      const ctx = requirePermission(request, 'plant:read');
      const scope = scopeFrom(parseInput(kpiScopeInput, scopeInput));
      const period = parseInput(kpiPeriodInput, periodInput);
      const now = clock();
      const until = effectiveEnd(period, now);
      const { loaded, windows } = await deps.db.transaction(scopeOf(ctx), async (tx) => {
        const siteId = await scopeSiteId(tx, scope);
        if (siteId === undefined)
          throw kpiScopeNotFound(`No ${scope.kind} ${scope.id} among the sites you can see`);
        // The site's shift calendar decides planned time; without one it is around the clock.
        const planned = await plannedWindowsOf(tx, siteId, period.from, until);
        return { loaded: await loadScopeDowntime(tx, scope, period, now, until, planned), windows: planned };
      });
      const plannedSeconds = windows
        ? loaded.activeMachines * windowSeconds(windows)
        : plannedSecondsAroundTheClock(loaded.activeMachines, period, now);
      return { scope, ...computeKpis({ period, now, plannedSeconds, totals: loaded.totals }) };
    },
  };
}
export type KpiService = ReturnType<typeof createKpiService>;
