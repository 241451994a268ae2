import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import { machineNotFound } from '../plant/index.ts';
import {
  MAX_MICRO_STOP_DAYS,
  type DowntimeSettingsInput,
  type MicroStopSummaryInput,
  type PeriodInput,
} from './auto-downtime.dto.ts';
import { invalidMicroStopPeriod } from './auto-downtime.errors.ts';
import { microStopSummary, microStops } from './auto-downtime.micro-stops.ts';
import * as repo from './auto-downtime.repository.ts';

const DAY_MS = 86_400_000;

/**
 * Automatic downtime as people see it: each machine's stop settings (telemetry:manage) and its
 * micro-stops (plant:read). The rules themselves run in the signal hooks and the periodic check.
 */
export function createAutoDowntimeService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  function periodOf(input: PeriodInput): { from: Date; to: Date } {
    const to = input.to ?? now();
    const from = input.from ?? new Date(to.getTime() - DAY_MS);
    if (from.getTime() >= to.getTime())
      throw invalidMicroStopPeriod('from must be before to', {
        errors: [{ field: 'from', message: 'must be before to' }],
      });
    if (to.getTime() - from.getTime() > MAX_MICRO_STOP_DAYS * DAY_MS)
      throw invalidMicroStopPeriod(`A period of at most ${MAX_MICRO_STOP_DAYS} days, please`, {
        errors: [{ field: 'to', message: `at most ${MAX_MICRO_STOP_DAYS} days after from` }],
      });
    return { from, to };
  }

  async function settingsOrThrow(tx: Tx, machineId: number) {
    const found = await repo.downtimeSettingsOf(tx, machineId);
    if (!found) throw machineNotFound(`No machine with id ${machineId}`);
    return found;
  }

  return {
    async settings(request: RequestContext, machineId: number) {
      const ctx = requirePermission(request, 'plant:read');
      return db.transaction(scopeOf(ctx), (tx) => settingsOrThrow(tx, machineId));
    },

    async setSettings(request: RequestContext, machineId: number, input: DowntimeSettingsInput) {
      const ctx = requirePermission(request, 'telemetry:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await settingsOrThrow(tx, machineId);
        await repo.updateDowntimeSettings(tx, machineId, input);
        const after = await settingsOrThrow(tx, machineId);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'machine',
          entityId: machineId,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      });
    },

    async microStops(request: RequestContext, machineId: number, input: PeriodInput) {
      const ctx = requirePermission(request, 'plant:read');
      const { from, to } = periodOf(input);
      return db.transaction(scopeOf(ctx), (tx) => microStops(tx, machineId, from, to));
    },

    async microStopSummary(request: RequestContext, input: MicroStopSummaryInput) {
      const ctx = requirePermission(request, 'plant:read');
      const { from, to } = periodOf(input);
      return db.transaction(scopeOf(ctx), (tx) => microStopSummary(tx, input, from, to));
    },
  };
}
export type AutoDowntimeService = ReturnType<typeof createAutoDowntimeService>;
