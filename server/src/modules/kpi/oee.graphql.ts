import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import type { KpiGraphqlRefs } from './kpi.graphql.ts';
import type { OeeFigures } from './oee.calculations.ts';
import type { OeeExclusion } from './oee.report.ts';
import type { OeeReport, OeeService } from './oee.service.ts';

type Machine = OeeReport['machines'][number];
type Shift = OeeReport['shifts'][number];
type Day = OeeReport['days'][number];

/**
 * `oee(scope, period, shift)`: the same report as GET /kpi/oee. The figures of the scope, of each
 * machine, shift and day share one `OeeFigures` type; the drill-down stays REST only.
 */
export function registerOeeGraphql(builder: Builder, oee: OeeService, refs: KpiGraphqlRefs): void {
  const Reasons = builder.objectRef<OeeFigures['reasons']>('OeeReasons').implement({
    description: 'Why a figure is null (null when it is not)',
    fields: (t) => ({
      oee: t.string({ nullable: true, resolve: (r) => r.oee }),
      availability: t.string({ nullable: true, resolve: (r) => r.availability }),
      performance: t.string({ nullable: true, resolve: (r) => r.performance }),
      quality: t.string({ nullable: true, resolve: (r) => r.quality }),
    }),
  });
  const Figures = builder.objectRef<OeeFigures>('OeeFigures').implement({
    description: 'OEE = availability × performance × quality, with the sums behind them (docs/kpis.md)',
    fields: (t) => ({
      oee: t.float({ nullable: true, resolve: (f) => f.oee }),
      availability: t.float({ nullable: true, resolve: (f) => f.availability }),
      performance: t.float({ nullable: true, resolve: (f) => f.performance }),
      quality: t.float({ nullable: true, resolve: (f) => f.quality }),
      reasons: t.field({ type: Reasons, resolve: (f) => f.reasons }),
      plannedSeconds: t.float({ resolve: (f) => f.planned_seconds }),
      excludedSeconds: t.float({ resolve: (f) => f.excluded_seconds }),
      plannedStopSeconds: t.float({ resolve: (f) => f.planned_stop_seconds }),
      productionSeconds: t.float({ resolve: (f) => f.production_seconds }),
      unplannedDowntimeSeconds: t.float({ resolve: (f) => f.unplanned_downtime_seconds }),
      runSeconds: t.float({ resolve: (f) => f.run_seconds }),
      cycles: t.float({ resolve: (f) => f.cycles }),
      idealSeconds: t.float({ resolve: (f) => f.ideal_seconds }),
      cyclesWithoutIdealTime: t.float({ resolve: (f) => f.cycles_without_ideal_time }),
      excludedCycles: t.float({ resolve: (f) => f.excluded_cycles }),
      qualitySource: t.string({ nullable: true, resolve: (f) => f.quality_source }),
      good: t.float({ resolve: (f) => f.good }),
      total: t.float({ resolve: (f) => f.total }),
    }),
  });
  const Exclusion = builder.objectRef<OeeExclusion>('OeeExclusion').implement({
    description: 'Planned time left out because a data source of a machine was stale',
    fields: (t) => ({
      source: t.exposeString('source'),
      reason: t.exposeString('reason'),
      seconds: t.exposeFloat('seconds'),
      machines: t.exposeInt('machines'),
    }),
  });
  const MachineRef = builder.objectRef<Machine>('OeeMachine').implement({
    fields: (t) => ({
      machineId: t.id({ resolve: (m) => m.machine_id }),
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      lineId: t.id({ resolve: (m) => m.line_id }),
      figures: t.field({ type: Figures, resolve: (m) => m }),
    }),
  });
  const ShiftRef = builder.objectRef<Shift>('OeeShift').implement({
    fields: (t) => ({
      name: t.exposeString('name'),
      figures: t.field({ type: Figures, resolve: (s) => s }),
    }),
  });
  const DayRef = builder.objectRef<Day>('OeeDay').implement({
    fields: (t) => ({
      day: t.exposeString('day', { description: 'The local day of the site, e.g. 2025-03-03' }),
      figures: t.field({ type: Figures, resolve: (d) => d }),
    }),
  });
  const Report = builder.objectRef<OeeReport>('OeeReport').implement({
    description: 'OEE of a site, line or machine over a period, per machine, shift and day',
    fields: (t) => ({
      scope: t.field({ type: refs.scope, resolve: (r) => r.scope }),
      period: t.field({ type: refs.period, resolve: (r) => r.period }),
      timeZone: t.string({ resolve: (r) => r.time_zone }),
      aroundTheClock: t.boolean({ resolve: (r) => r.around_the_clock }),
      shift: t.string({ nullable: true, resolve: (r) => r.shift }),
      figures: t.field({ type: Figures, resolve: (r) => r }),
      excluded: t.field({ type: [Exclusion], resolve: (r) => r.excluded }),
      machines: t.field({ type: [MachineRef], resolve: (r) => r.machines }),
      shifts: t.field({ type: [ShiftRef], resolve: (r) => r.shifts }),
      days: t.field({ type: [DayRef], resolve: (r) => r.days }),
      notes: t.stringList({ resolve: (r) => r.notes }),
    }),
  });
  builder.queryFields((t) => ({
    oee: t.field({
      type: Report,
      args: {
        scope: t.arg({ type: refs.scopeInput, required: true }),
        period: t.arg({ type: refs.periodInput, required: true }),
        shift: t.arg.string({ description: 'One shift name of the site’s calendar' }),
      },
      ...withAccess(
        { permission: 'plant:read' },
        (
          _p,
          args: { scope: Record<string, unknown>; period: { from: Date; to: Date }; shift?: string | null },
          c,
        ) =>
          oee.oee(c.caller, {
            ...snakeCase(args.scope, { dropNulls: true }),
            ...args.period,
            ...(args.shift ? { shift: args.shift } : {}),
          }),
      ),
    }),
  }));
}
