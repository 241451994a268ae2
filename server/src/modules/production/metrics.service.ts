import { DateTime } from 'luxon';
import { requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { MAX_METRICS_DAYS } from './production.constants.ts';
import { ownStagesOnly, requireReader } from './production.access.ts';
import type { ProductionMetricsInput, ProductionMetricsOutput, StageStatus } from './production.dto.ts';
import { invalidWindow } from './production.errors.ts';
import { metricsOf, summarise } from './production.rules.ts';
import * as orders from './work-order.repository.ts';
import { visibleStage, workOrderOrThrow } from './work-order.service.ts';

const DAY_MS = 86_400_000;

export function createProductionMetricsService(deps: {
  db: Pick<Database, 'transaction'>;
  now?: () => Date;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    /** Delay, efficiency and on-time of the order (first actual start to last actual end) and of each stage. */
    workOrder: (request: RequestContext, id: number) => {
      const ctx = requireReader(request);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const order = await workOrderOrThrow(tx, id);
        const stages = await orders.stagesOfWorkOrder(tx, id, ownStagesOnly(ctx));
        const own = order.status === 'done' ? order : { ...order, actual_end: null };
        return {
          work_order_id: id,
          status: order.status,
          ...metricsOf(own),
          stages: stages.map((stage) => ({
            stage_id: stage.id,
            stage_name: stage.stage_name,
            ...metricsOf(stage),
          })),
        };
      });
    },

    stage: (request: RequestContext, id: number) => {
      const ctx = requireReader(request);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const stage = await visibleStage(tx, ctx, id);
        return {
          stage_id: id,
          work_order_id: stage.work_order_id,
          status: stage.status as StageStatus,
          ...metricsOf(stage),
        };
      });
    },

    /** On-time %, average delay and efficiency of what finished in the period, in total and per day or week. */
    summary: (request: RequestContext, input: ProductionMetricsInput): Promise<ProductionMetricsOutput> => {
      const ctx = requireReader(request);
      if (input.site_id) requireSite(ctx, input.site_id);
      const to = input.to ?? now();
      const from = input.from ?? new Date(to.getTime() - 30 * DAY_MS);
      if (to.getTime() <= from.getTime() || to.getTime() - from.getTime() > MAX_METRICS_DAYS * DAY_MS) {
        throw invalidWindow(`The period must run forward and span at most ${MAX_METRICS_DAYS} days`, {
          errors: [{ field: 'to', message: `after from, at most ${MAX_METRICS_DAYS} days later` }],
        });
      }
      return db.transaction(scopeOf(ctx), async (tx) => {
        const siteId = input.site_id ?? (ctx.actor.siteIds.length === 1 ? ctx.actor.siteIds[0] : undefined);
        const zone = (siteId !== undefined ? await orders.siteTimeZone(tx, siteId) : undefined) ?? 'UTC';
        const items = await orders.finishedItems(tx, { ...input, level: input.level, from, to });
        const unit = input.bucket === 'week' ? 'week' : 'day';
        const byBucket = new Map<number, ReturnType<typeof metricsOf>[]>();
        for (
          let cursor = DateTime.fromJSDate(from, { zone }).startOf(unit);
          cursor.toMillis() < to.getTime();
          cursor = cursor.plus({ [unit]: 1 })
        ) {
          byBucket.set(cursor.toMillis(), []);
        }
        const all = items.map((item) => {
          const metrics = metricsOf(item);
          const key = DateTime.fromJSDate(item.actual_end ?? to, { zone })
            .startOf(unit)
            .toMillis();
          byBucket.get(key)?.push(metrics);
          return metrics;
        });
        const total = summarise(all);
        return {
          from,
          to,
          level: input.level,
          reason:
            total.finished === 0
              ? 'nothing_finished_in_period'
              : total.with_windows === 0
                ? 'no_planned_windows'
                : null,
          ...total,
          buckets: [...byBucket.entries()].map(([start, metrics]) => ({
            bucket_start: new Date(start),
            ...summarise(metrics),
          })),
        };
      });
    },
  };
}
export type ProductionMetricsService = ReturnType<typeof createProductionMetricsService>;
