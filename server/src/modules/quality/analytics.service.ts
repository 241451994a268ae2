import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import * as analytics from './analytics.repository.ts';
import type { SpcInputQuery, TopFailuresInput } from './analytics.dto.ts';
import { DEFAULT_RULE } from './alerts.evaluator.ts';
import { invalidPeriod, resultScopeNotFound } from './quality.errors.ts';
import { machineIdsByCode } from './results.repository.ts';
import { movingRanges, spcSummary } from './spc.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function period(input: { from?: Date | undefined; to?: Date | undefined }, now: Date, defaultDays: number) {
  const to = input.to ?? now;
  const from = input.from ?? new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() >= to.getTime()) {
    throw invalidPeriod('from must be before to', {
      errors: [{ field: 'to', message: 'must be after from' }],
    });
  }
  return { from, to };
}

async function machineIds(tx: Tx, code: string | undefined): Promise<number[] | undefined> {
  if (!code) return undefined;
  const ids = await machineIdsByCode(tx, code);
  if (ids.length === 0) throw resultScopeNotFound(`No machine ${code} on your sites`);
  return ids;
}

/** What the quality dashboard shows besides the feed: machine tiles, top failing steps, control charts. */
export function createQualityAnalytics(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  function read<T>(request: RequestContext, siteId: number | undefined, work: (tx: Tx) => Promise<T>) {
    const ctx = requirePermission(request, 'plant:read');
    if (siteId) requireSite(ctx, siteId);
    return deps.db.transaction(scopeOf(ctx), work);
  }

  return {
    tiles: (request: RequestContext, siteId?: number) =>
      read(request, siteId, async (tx) => {
        const current = now();
        // "This hour" is the last 60 minutes: a tile does not go grey at every full hour.
        const rows = await analytics.machineTiles(tx, siteId, new Date(current.getTime() - HOUR_MS));
        const rules = await tx
          .selectFrom('quality_alert_rules')
          .select(['site_id', 'min_pass_rate', 'min_sample'])
          .execute();
        const ruleOf = new Map(rules.map((rule) => [rule.site_id, rule]));
        return rows.map((row) => {
          const judged = row.hour_pass + row.hour_fail;
          const rate = judged > 0 ? row.hour_pass / judged : null;
          const rule = ruleOf.get(row.site_id);
          const min = Number(rule?.min_pass_rate ?? DEFAULT_RULE.min_pass_rate) / 100;
          const sample = rule?.min_sample ?? DEFAULT_RULE.min_sample;
          // Red: the last result failed or an alert waits; amber: the pass rate is under the site's
          // threshold over enough results to mean it; grey: nothing judged in the last hour.
          const colour =
            row.last_verdict === 'FAIL' || row.open_alerts > 0
              ? 'red'
              : judged === 0
                ? 'grey'
                : rate !== null && judged >= sample && rate < min
                  ? 'amber'
                  : 'green';
          return { ...row, hour_pass_rate: rate, colour } as const;
        });
      }),

    topFailures: (request: RequestContext, input: TopFailuresInput) =>
      read(request, input.site_id, async (tx) => {
        const { from, to } = period(input, now(), 1);
        const rows = await analytics.topFailures(tx, {
          site_id: input.site_id,
          machine_ids: await machineIds(tx, input.machine_id),
          from,
          to,
          limit: input.limit,
        });
        return rows.map((row) => ({ ...row, fail_rate: row.total > 0 ? row.fail_count / row.total : 0 }));
      }),

    /** The I-MR chart of the latest results of a product and step, with the limits in force and Cpk. */
    spc: (request: RequestContext, input: SpcInputQuery) =>
      read(request, input.site_id, async (tx) => {
        const { from, to } = period(input, now(), 7);
        const points = await analytics.spcPoints(tx, {
          site_id: input.site_id,
          product_id: input.product_id,
          test_step: input.test_step,
          machine_ids: await machineIds(tx, input.machine_id),
          from,
          to,
          limit: input.limit,
        });
        const limits = await analytics.limitsInForce(tx, { ...input, at: to });
        const values = points.map((p) => p.value);
        const ranges = movingRanges(values);
        return {
          product_id: input.product_id,
          test_step: input.test_step,
          points: points.map((p, i) => ({ ...p, moving_range: ranges[i] ?? null })),
          ...spcSummary({ values, lower: limits?.lower_limit ?? null, upper: limits?.upper_limit ?? null }),
          lower_limit: limits?.lower_limit ?? null,
          upper_limit: limits?.upper_limit ?? null,
          target: limits?.target ?? null,
          unit: limits?.unit ?? null,
        };
      }),
  };
}
export type QualityAnalytics = ReturnType<typeof createQualityAnalytics>;
