import { z } from 'zod';
import type { KpiFigures } from './kpi.calculations.ts';

const MAX_YEARS = 10;
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

const scopeShape = { site_id: id.optional(), line_id: id.optional(), machine_id: id.optional() };
const periodShape = { from: z.coerce.date(), to: z.coerce.date() };
type ScopeFields = {
  site_id?: number | undefined;
  line_id?: number | undefined;
  machine_id?: number | undefined;
};

function checkScope(value: ScopeFields, ctx: z.RefinementCtx): void {
  const given = [value.site_id, value.line_id, value.machine_id].filter((field) => field !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['site_id'],
      message: 'Give exactly one of site_id, line_id, machine_id',
    });
  }
}

function checkPeriod(value: { from: Date; to: Date }, ctx: z.RefinementCtx): void {
  if (value.from.getTime() >= value.to.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    return;
  }
  const limit = new Date(value.from);
  limit.setUTCFullYear(limit.getUTCFullYear() + MAX_YEARS);
  if (value.to.getTime() > limit.getTime()) {
    ctx.addIssue({ code: 'custom', path: ['to'], message: `A period spans at most ${MAX_YEARS} years` });
  }
}

export const kpiScopeInput = z.object(scopeShape).superRefine(checkScope);
export const kpiPeriodInput = z.object(periodShape).superRefine(checkPeriod);
/** REST: `GET /kpis?line_id=3&from=…&to=…`. */
export const kpiQueryInput = z.object({ ...scopeShape, ...periodShape }).superRefine((value, ctx) => {
  checkScope(value, ctx);
  checkPeriod(value, ctx);
});

export type KpiScopeInput = z.input<typeof kpiScopeInput>;
export type KpiPeriodInput = z.input<typeof kpiPeriodInput>;

export type KpiScopeKind = 'site' | 'line' | 'machine';
export interface KpiScope {
  kind: KpiScopeKind;
  id: number;
}

export function scopeFrom(fields: ScopeFields): KpiScope {
  if (fields.site_id !== undefined) return { kind: 'site', id: fields.site_id };
  if (fields.line_id !== undefined) return { kind: 'line', id: fields.line_id };
  return { kind: 'machine', id: fields.machine_id as number };
}

export interface KpiReport extends KpiFigures {
  scope: KpiScope;
}

const paretoEntryOutput = z.object({
  reason: z
    .object({ code: z.string(), name: z.string(), name_ru: z.string().nullable(), category_code: z.string() })
    .nullable(),
  seconds: z.number(),
  count: z.number(),
  share: z.number(),
  cumulative_share: z.number(),
});

export const kpiReportOutput = z.object({
  scope: z.object({ kind: z.enum(['site', 'line', 'machine']), id: z.number() }),
  period: z.object({ from: z.date(), to: z.date(), effective_to: z.date() }),
  planned_seconds: z.number(),
  downtime: z.object({
    total_seconds: z.number(),
    count: z.number(),
    planned_seconds: z.number(),
    unplanned_seconds: z.number(),
  }),
  failures: z.number(),
  mttr_hours: z.number().nullable(),
  mtbf_hours: z.number().nullable(),
  availability: z.number().nullable(),
  notes: z.array(z.string()),
  pareto: z.array(paretoEntryOutput),
});
