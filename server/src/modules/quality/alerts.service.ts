import { sql } from 'kysely';
import { z } from 'zod';
import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import { DEFAULT_RULE } from './alerts.evaluator.ts';
import { resultScopeNotFound } from './quality.errors.ts';

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const alertFilterInput = z.object({
  site_id: id.optional(),
  open: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(true),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const alertOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  test_step: z.string(),
  kind: z.string(),
  message: z.string(),
  raised_at: z.date(),
  cleared_at: z.date().nullable(),
  acknowledged_by: z.number().nullable(),
  acknowledged_at: z.date().nullable(),
});
export const alertRuleInput = z
  .object({
    consecutive_fails: z.number().int().min(1).max(1000),
    min_pass_rate: z.number().min(0).max(100),
    min_sample: z.number().int().min(1).max(100_000),
  })
  .strict();
export const alertRuleOutput = alertRuleInput.extend({ site_id: z.number(), is_default: z.boolean() });
export const siteParam = z.object({ site_id: id });
export const alertParam = z.object({ alert_id: id });

/** Quality alerts (raised by the evaluator) and the per-site rules that raise them. */
export function createAlertService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
  return {
    list(request: RequestContext, filter: z.output<typeof alertFilterInput>) {
      const ctx = requirePermission(request, 'plant:read');
      if (filter.site_id) requireSite(ctx, filter.site_id);
      return db.transaction(scopeOf(ctx), async (tx) => {
        let query = tx
          .selectFrom('quality_alerts as a')
          .select([
            'a.id',
            'a.site_id',
            'a.machine_id',
            sql<string>`(select m.code from machines m where m.id = a.machine_id)`.as('machine_code'),
            'a.test_step',
            'a.kind',
            'a.message',
            'a.raised_at',
            'a.cleared_at',
            'a.acknowledged_by',
            'a.acknowledged_at',
          ])
          .orderBy('a.raised_at', 'desc')
          .limit(filter.limit);
        if (filter.site_id) query = query.where('a.site_id', '=', filter.site_id);
        // Open: still true, or not yet seen by anyone (an alert that cleared by itself stays until acknowledged).
        if (filter.open)
          query = query.where((eb) =>
            eb.or([eb('a.cleared_at', 'is', null), eb('a.acknowledged_at', 'is', null)]),
          );
        return query.execute();
      });
    },

    acknowledge(request: RequestContext, alertId: number) {
      const ctx = requirePermission(request, 'quality:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const alert = await tx
          .selectFrom('quality_alerts')
          .selectAll()
          .where('id', '=', alertId)
          .forUpdate()
          .executeTakeFirst();
        if (!alert) throw resultScopeNotFound(`No quality alert ${alertId}`);
        if (!alert.acknowledged_at) {
          await tx
            .updateTable('quality_alerts')
            .set({
              acknowledged_at: new Date(),
              acknowledged_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
            })
            .where('id', '=', alertId)
            .execute();
          await recordChange(tx, ctx, {
            action: 'acknowledge',
            entity: 'quality_alert',
            entityId: alertId,
            siteId: alert.site_id,
          });
        }
      });
    },

    rule(request: RequestContext, siteId: number) {
      const ctx = requirePermission(request, 'plant:read');
      requireSite(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        const row = await tx
          .selectFrom('quality_alert_rules')
          .selectAll()
          .where('site_id', '=', siteId)
          .executeTakeFirst();
        return row
          ? {
              site_id: siteId,
              consecutive_fails: row.consecutive_fails,
              min_pass_rate: Number(row.min_pass_rate),
              min_sample: row.min_sample,
              is_default: false,
            }
          : { site_id: siteId, ...DEFAULT_RULE, is_default: true };
      });
    },

    saveRule(request: RequestContext, siteId: number, input: z.output<typeof alertRuleInput>) {
      const ctx = requirePermission(request, 'quality:manage');
      requireSite(ctx, siteId);
      return db.transaction(scopeOf(ctx), async (tx) => {
        await tx
          .insertInto('quality_alert_rules')
          .values({ site_id: siteId, ...input })
          .onConflict((oc) => oc.column('site_id').doUpdateSet({ ...input, updated_at: new Date() }))
          .execute();
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'quality_alert_rule',
          entityId: siteId,
          siteId,
          after: input,
        });
        return { site_id: siteId, ...input, is_default: false };
      });
    },
  };
}
export type AlertService = ReturnType<typeof createAlertService>;
