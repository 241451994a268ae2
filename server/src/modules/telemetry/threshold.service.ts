import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { AlertFilter, AlertOutput, ThresholdInput, ThresholdOutput } from './reading.dto.ts';
import { thresholdNotFound } from './reading.errors.ts';
import { resolveMachine } from './reading.service.ts';
import * as thresholds from './threshold.repository.ts';

/**
 * Thresholds per machine and reading type (telemetry:manage) and the alerts they raise. Changing or
 * removing a threshold ends the pair's open alerts: the next reading beyond the new limit opens one.
 */
export function createThresholdService(deps: {
  db: Pick<Database, 'transaction'>;
  /** Told after a change commits (this process's checks read the thresholds again). */
  onChange?: () => void;
}) {
  const { db } = deps;
  return {
    get(request: RequestContext, machineRef: string, readingType: string): Promise<ThresholdOutput> {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        const row = await thresholds.findThreshold(tx, machine.id, readingType);
        if (!row) throw thresholdNotFound(`Machine ${machineRef} has no threshold for ${readingType}`);
        return row;
      });
    },

    async put(
      request: RequestContext,
      machineRef: string,
      readingType: string,
      input: ThresholdInput,
    ): Promise<ThresholdOutput> {
      const ctx = requirePermission(request, 'telemetry:manage');
      const saved = await db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        requireSite(ctx, machine.site_id);
        const before = await thresholds.findThreshold(tx, machine.id, readingType);
        const row = await thresholds.saveThreshold(tx, {
          site_id: machine.site_id,
          machine_id: machine.id,
          reading_type: readingType,
          low: input.low ?? null,
          high: input.high ?? null,
          stale_after_seconds: input.stale_after_seconds ?? null,
          updated_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        });
        await thresholds.closeAlertsOf(tx, machine.id, readingType, new Date());
        await recordChange(tx, ctx, {
          action: before ? 'update' : 'create',
          entity: 'reading_threshold',
          entityId: row.id,
          siteId: machine.site_id,
          before,
          after: row,
        });
        return row;
      });
      deps.onChange?.();
      return saved;
    },

    async remove(request: RequestContext, machineRef: string, readingType: string): Promise<void> {
      const ctx = requirePermission(request, 'telemetry:manage');
      await db.transaction(scopeOf(ctx), async (tx) => {
        const machine = await resolveMachine(tx, machineRef);
        requireSite(ctx, machine.site_id);
        const before = await thresholds.findThreshold(tx, machine.id, readingType);
        if (!before) throw thresholdNotFound(`Machine ${machineRef} has no threshold for ${readingType}`);
        await thresholds.deleteThreshold(tx, machine.id, readingType);
        await thresholds.closeAlertsOf(tx, machine.id, readingType, new Date());
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'reading_threshold',
          entityId: before.id,
          siteId: machine.site_id,
          before,
        });
      });
      deps.onChange?.();
    },

    alerts(request: RequestContext, filter: AlertFilter): Promise<AlertOutput[]> {
      const ctx = requirePermission(request, 'plant:read');
      if (filter.site_id) requireSite(ctx, filter.site_id);
      return db.transaction(scopeOf(ctx), (tx) => thresholds.listAlerts(tx, filter));
    },
  };
}
export type ThresholdService = ReturnType<typeof createThresholdService>;
