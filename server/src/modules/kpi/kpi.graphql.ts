import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import type { KpiFigures, ParetoEntry } from './kpi.calculations.ts';
import type { KpiReport, KpiScope } from './kpi.dto.ts';
import type { KpiService } from './kpi.service.ts';

type Downtime = KpiFigures['downtime'];
type Period = KpiFigures['period'];
type Reason = NonNullable<ParetoEntry['reason']>;

/** Registers `kpis`; returns the scope and period types that the OEE fields reuse. */
export function registerKpiGraphql(builder: Builder, kpi: KpiService) {
  const KpiScopeRef = builder.objectRef<KpiScope>('KpiScope').implement({
    fields: (t) => ({ kind: t.exposeString('kind'), id: t.exposeID('id') }),
  });
  const KpiPeriodRef = builder.objectRef<Period>('KpiPeriod').implement({
    fields: (t) => ({
      from: t.field({ type: 'DateTime', resolve: (period) => period.from }),
      to: t.field({ type: 'DateTime', resolve: (period) => period.to }),
      effectiveTo: t.field({ type: 'DateTime', resolve: (period) => period.effective_to }),
    }),
  });
  const KpiDowntimeRef = builder.objectRef<Downtime>('KpiDowntime').implement({
    fields: (t) => ({
      totalSeconds: t.float({ resolve: (downtime) => downtime.total_seconds }),
      count: t.exposeInt('count'),
      plannedSeconds: t.float({ resolve: (downtime) => downtime.planned_seconds }),
      unplannedSeconds: t.float({ resolve: (downtime) => downtime.unplanned_seconds }),
    }),
  });
  const KpiReasonRef = builder.objectRef<Reason>('KpiReason').implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      nameRu: t.string({ nullable: true, resolve: (reason) => reason.name_ru }),
      categoryCode: t.string({ resolve: (reason) => reason.category_code }),
    }),
  });
  const KpiParetoEntryRef = builder.objectRef<ParetoEntry>('KpiParetoEntry').implement({
    description: 'Unplanned downtime of one reason; reason is null for stops nobody has explained yet',
    fields: (t) => ({
      reason: t.field({ type: KpiReasonRef, nullable: true, resolve: (entry) => entry.reason }),
      seconds: t.exposeFloat('seconds'),
      count: t.exposeInt('count'),
      share: t.exposeFloat('share'),
      cumulativeShare: t.float({ resolve: (entry) => entry.cumulative_share }),
    }),
  });
  const KpiReportRef = builder.objectRef<KpiReport>('KpiReport').implement({
    description: 'Downtime KPIs of a site, line or machine over a period, as defined in docs/kpis.md',
    fields: (t) => ({
      scope: t.field({ type: KpiScopeRef, resolve: (report) => report.scope }),
      period: t.field({ type: KpiPeriodRef, resolve: (report) => report.period }),
      plannedSeconds: t.float({ resolve: (report) => report.planned_seconds }),
      downtime: t.field({ type: KpiDowntimeRef, resolve: (report) => report.downtime }),
      failures: t.exposeInt('failures'),
      mttrHours: t.float({ nullable: true, resolve: (report) => report.mttr_hours }),
      mtbfHours: t.float({ nullable: true, resolve: (report) => report.mtbf_hours }),
      availability: t.float({ nullable: true, resolve: (report) => report.availability }),
      notes: t.stringList({ resolve: (report) => report.notes }),
      pareto: t.field({ type: [KpiParetoEntryRef], resolve: (report) => report.pareto }),
    }),
  });
  const KpiScopeInput = builder.inputType('KpiScopeInput', {
    description: 'Exactly one of siteId, lineId, machineId',
    fields: (t) => ({ siteId: t.id(), lineId: t.id(), machineId: t.id() }),
  });
  const PeriodInput = builder.inputType('PeriodInput', {
    description: 'The half-open period [from, to)',
    fields: (t) => ({
      from: t.field({ type: 'DateTime', required: true }),
      to: t.field({ type: 'DateTime', required: true }),
    }),
  });
  builder.queryFields((t) => ({
    kpis: t.field({
      type: KpiReportRef,
      args: {
        scope: t.arg({ type: KpiScopeInput, required: true }),
        period: t.arg({ type: PeriodInput, required: true }),
      },
      ...withAccess(
        { permission: 'plant:read' },
        (_p, args: { scope: Record<string, unknown>; period: { from: Date; to: Date } }, c) =>
          kpi.kpis(c.caller, snakeCase(args.scope, { dropNulls: true }), args.period),
      ),
    }),
  }));
  return { scope: KpiScopeRef, period: KpiPeriodRef, scopeInput: KpiScopeInput, periodInput: PeriodInput };
}
export type KpiGraphqlRefs = ReturnType<typeof registerKpiGraphql>;
