import type { z } from 'zod';
import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder, SchemaTypes } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import * as analyticsDto from './analytics.dto.ts';
import type { QualityAnalytics } from './analytics.service.ts';
import * as alertsDto from './alerts.service.ts';
import type { ResultOutput, Verdict } from './ingest.dto.ts';
import type { IngestService } from './ingest.service.ts';
import type { QualityGraphqlRefs } from './quality.graphql.ts';
import * as dto from './results.dto.ts';
import type { ResultService } from './results.service.ts';

type Args = Record<string, unknown>;
type FieldBuilder<T> = PothosSchemaTypes.ObjectFieldBuilder<
  PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>,
  T
>;
type Page<T> = { items: T[]; next_cursor: string | null };
type Counts = dto.QualityCounts;
type Metrics = dto.QualityMetricsOutput;
type MetricsBucket = NonNullable<Metrics['buckets']>[number];
type MachineStatus = Awaited<ReturnType<ResultService['machineStatus']>>;
type UnitTrace = Awaited<ReturnType<ResultService['unit']>>;
type Tile = z.output<typeof analyticsDto.machineTileOutput>;
type TopFailure = z.output<typeof analyticsDto.topFailureOutput>;
type SpcChart = z.output<typeof analyticsDto.spcOutput>;
type SpcPoint = SpcChart['points'][number];
type Alert = z.output<typeof alertsDto.alertOutput>;
type AlertRule = z.output<typeof alertsDto.alertRuleOutput>;

/** GraphQL speaks upper-case enums (DAY, GREEN, LOW_PASS_RATE); the services use lower case. */
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;
/** The services type verdicts read back from SQL as text; they are always one of TestVerdict's. */
const verdict = (value: string | null) => value as Verdict | null;

/**
 * Reading quality back over GraphQL, and sending results in: the same services, DTOs and permissions
 * as quality.routes.ts (GET /results, /machines/{id}/status, /quality/metrics, /units/{barcode},
 * POST /ingest) and analytics.routes.ts (dashboard reads, alerts, alert rules), in camelCase.
 * Results are the subscription's TestResult type (quality.graphql.ts).
 */
export function registerResultGraphql(
  builder: Builder,
  services: {
    ingest: IngestService;
    results: ResultService;
    analytics: QualityAnalytics;
    alerts: alertsDto.AlertService;
  },
  refs: QualityGraphqlRefs,
) {
  const { ingest, results, analytics, alerts } = services;
  const { TestResult, TestVerdict } = refs;

  const MetricsBucketSize = builder.enumType('QualityMetricsBucketSize', {
    values: ['HOUR', 'DAY'] as const,
  });
  const TileColour = builder.enumType('QualityTileColour', {
    values: ['GREEN', 'AMBER', 'RED', 'GREY'] as const,
  });
  const AlertKind = builder.enumType('QualityAlertKind', {
    values: ['CONSECUTIVE_FAILS', 'LOW_PASS_RATE'] as const,
  });

  const TestResultPage = builder.objectRef<Page<ResultOutput>>('TestResultPage').implement({
    fields: (t) => ({
      items: t.field({ type: [TestResult], resolve: (page) => page.items }),
      nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
    }),
  });

  const MachineTestStatus = builder.objectRef<MachineStatus>('MachineTestStatus').implement({
    description: 'The latest result of a machine (null before its first)',
    fields: (t) => ({
      machineId: t.string({ description: 'The machine’s plant code', resolve: (s) => s.machine_id }),
      machineKey: t.id({ description: 'The machine’s numeric id', resolve: (s) => s.machine_key }),
      lastResult: t.field({ type: TestResult, nullable: true, resolve: (s) => s.last_result }),
      lastVerdict: t.field({ type: TestVerdict, nullable: true, resolve: (s) => verdict(s.last_verdict) }),
      lastSeen: t.field({
        type: 'DateTime',
        nullable: true,
        description: 'When HOM stored the latest result',
        resolve: (s) => s.last_seen,
      }),
    }),
  });

  /** The counts every metrics type shares; passRate is PASS ÷ (PASS + FAIL), null when nothing was judged. */
  const countFields = <T extends Counts>(t: FieldBuilder<T>) => ({
    totalTests: t.int({ resolve: (m) => m.total_tests }),
    passCount: t.int({ resolve: (m) => m.pass_count }),
    failCount: t.int({ resolve: (m) => m.fail_count }),
    noLimitCount: t.int({ resolve: (m) => m.no_limit_count }),
    passRate: t.float({ nullable: true, resolve: (m) => m.pass_rate }),
  });
  const QualityMetricsBucket = builder.objectRef<MetricsBucket>('QualityMetricsBucket').implement({
    fields: (t) => ({
      bucketStart: t.field({ type: 'DateTime', resolve: (b) => b.bucket_start }),
      ...countFields(t),
    }),
  });
  const QualityMetrics = builder.objectRef<Metrics>('QualityMetrics').implement({
    description: 'Results in [from, to): counts and pass rate, in total and per bucket when one was asked',
    fields: (t) => ({
      from: t.field({ type: 'DateTime', resolve: (m) => m.from }),
      to: t.field({ type: 'DateTime', resolve: (m) => m.to }),
      ...countFields(t),
      buckets: t.field({
        type: [QualityMetricsBucket],
        nullable: true,
        description: 'Per hour or day (in the site’s time zone when siteId is given); null without bucket',
        resolve: (m) => m.buckets ?? null,
      }),
    }),
  });

  const UnitTraceRef = builder.objectRef<UnitTrace>('UnitTrace').implement({
    description: 'Every result of one serial number across all stations, oldest first',
    fields: (t) => ({
      barcode: t.exposeString('barcode'),
      verdict: t.field({
        type: TestVerdict,
        description: 'FAIL if the latest result of any machine × step failed; PASS if all passed',
        resolve: (u) => verdict(u.verdict) ?? 'NO_LIMIT',
      }),
      firstSeen: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.first_seen }),
      lastSeen: t.field({ type: 'DateTime', nullable: true, resolve: (u) => u.last_seen }),
      results: t.field({ type: [TestResult], resolve: (u) => u.results }),
    }),
  });

  const MachineTile = builder.objectRef<Tile>('QualityMachineTile').implement({
    description:
      'A machine on the quality dashboard: last verdict, pass rate over the last 60 minutes, colour',
    fields: (t) => ({
      machineKey: t.id({ description: 'The machine’s numeric id', resolve: (m) => m.machine_key }),
      machineId: t.string({ description: 'The machine’s plant code', resolve: (m) => m.machine_id }),
      machineName: t.string({ resolve: (m) => m.machine_name }),
      siteId: t.id({ resolve: (m) => m.site_id }),
      lineId: t.id({ resolve: (m) => m.line_id }),
      lineCode: t.string({ resolve: (m) => m.line_code }),
      lastVerdict: t.field({ type: TestVerdict, nullable: true, resolve: (m) => verdict(m.last_verdict) }),
      lastSeen: t.field({ type: 'DateTime', nullable: true, resolve: (m) => m.last_seen }),
      hourTotal: t.int({ resolve: (m) => m.hour_total }),
      hourPass: t.int({ resolve: (m) => m.hour_pass }),
      hourFail: t.int({ resolve: (m) => m.hour_fail }),
      hourPassRate: t.float({ nullable: true, resolve: (m) => m.hour_pass_rate }),
      openAlerts: t.int({ resolve: (m) => m.open_alerts }),
      colour: t.field({
        type: TileColour,
        description:
          'GREEN: last PASS and pass rate ≥ the site’s threshold; AMBER: below it; RED: last FAIL or an ' +
          'open alert; GREY: no result in the last 60 minutes',
        resolve: (m) => upper(m.colour),
      }),
    }),
  });

  const TopFailureRef = builder.objectRef<TopFailure>('QualityTopFailure').implement({
    fields: (t) => ({
      productId: t.string({ resolve: (f) => f.product_id }),
      testStep: t.string({ resolve: (f) => f.test_step }),
      failCount: t.int({ resolve: (f) => f.fail_count }),
      total: t.exposeInt('total'),
      failRate: t.float({ resolve: (f) => f.fail_rate }),
    }),
  });

  const SpcPointRef = builder.objectRef<SpcPoint>('QualitySpcPoint').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      timestamp: t.field({ type: 'DateTime', resolve: (p) => p.timestamp }),
      value: t.exposeFloat('value'),
      movingRange: t.float({ nullable: true, resolve: (p) => p.moving_range }),
      barcode: t.exposeString('barcode'),
      verdict: t.field({ type: TestVerdict, resolve: (p) => verdict(p.verdict) ?? 'NO_LIMIT' }),
    }),
  });
  const SpcChartRef = builder.objectRef<SpcChart>('QualitySpcChart').implement({
    description:
      'Individuals / moving-range chart of a product × step with the spec limits in force, Cp and Cpk; ' +
      '`reason` says why some figures are null',
    fields: (t) => ({
      productId: t.string({ resolve: (s) => s.product_id }),
      testStep: t.string({ resolve: (s) => s.test_step }),
      points: t.field({ type: [SpcPointRef], resolve: (s) => s.points }),
      n: t.exposeInt('n'),
      mean: t.float({ nullable: true, resolve: (s) => s.mean }),
      mrBar: t.float({ nullable: true, resolve: (s) => s.mr_bar }),
      sigma: t.float({ nullable: true, resolve: (s) => s.sigma }),
      ucl: t.float({ nullable: true, resolve: (s) => s.ucl }),
      lcl: t.float({ nullable: true, resolve: (s) => s.lcl }),
      mrUcl: t.float({ nullable: true, resolve: (s) => s.mr_ucl }),
      cp: t.float({ nullable: true, resolve: (s) => s.cp }),
      cpk: t.float({ nullable: true, resolve: (s) => s.cpk }),
      reason: t.string({ nullable: true, resolve: (s) => s.reason }),
      lowerLimit: t.float({ nullable: true, resolve: (s) => s.lower_limit }),
      upperLimit: t.float({ nullable: true, resolve: (s) => s.upper_limit }),
      target: t.float({ nullable: true, resolve: (s) => s.target }),
      unit: t.string({ nullable: true, resolve: (s) => s.unit }),
    }),
  });

  const QualityAlert = builder.objectRef<Alert>('QualityAlert').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (a) => a.site_id }),
      machineId: t.id({ resolve: (a) => a.machine_id }),
      machineCode: t.string({ resolve: (a) => a.machine_code }),
      testStep: t.string({ resolve: (a) => a.test_step }),
      kind: t.field({
        type: AlertKind,
        resolve: (a) => upper(a.kind) as 'CONSECUTIVE_FAILS' | 'LOW_PASS_RATE',
      }),
      message: t.exposeString('message'),
      raisedAt: t.field({ type: 'DateTime', resolve: (a) => a.raised_at }),
      clearedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.cleared_at }),
      acknowledgedBy: t.id({ nullable: true, resolve: (a) => a.acknowledged_by }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (a) => a.acknowledged_at }),
    }),
  });
  const QualityAlertRule = builder.objectRef<AlertRule>('QualityAlertRule').implement({
    description:
      'When a site raises alerts: consecutiveFails FAILs in a row, or a pass rate under minPassRate % ' +
      'over the last hour once minSample results were judged',
    fields: (t) => ({
      siteId: t.id({ resolve: (r) => r.site_id }),
      consecutiveFails: t.int({ resolve: (r) => r.consecutive_fails }),
      minPassRate: t.float({ resolve: (r) => r.min_pass_rate }),
      minSample: t.int({ resolve: (r) => r.min_sample }),
      isDefault: t.boolean({
        description: 'True while the site has no rule of its own',
        resolve: (r) => r.is_default,
      }),
    }),
  });

  const IngestAccepted = builder
    .objectRef<{ accepted: number; message: string }>('IngestAccepted')
    .implement({
      fields: (t) => ({ accepted: t.exposeInt('accepted'), message: t.exposeString('message') }),
    });

  const TestResultPageFilter = builder.inputType('TestResultPageFilter', {
    fields: (t) => ({
      siteId: t.id(),
      machineId: t.string({ description: 'The machine’s plant code (any case)' }),
      productId: t.string(),
      testStep: t.string(),
      verdict: t.field({ type: TestVerdict }),
      barcode: t.string(),
      from: t.field({ type: 'DateTime', description: 'Measured at or after' }),
      to: t.field({ type: 'DateTime', description: 'Measured before' }),
    }),
  });
  const TestResultInput = builder.inputType('TestResultInput', {
    description: 'One result exactly as the test stations send it to POST /ingest, in camelCase',
    fields: (t) => ({
      barcode: t.string({ required: true, description: 'The unit’s serial number' }),
      machineId: t.string({ required: true, description: 'The machine’s plant code' }),
      productId: t.string({ required: true }),
      testStep: t.string({ required: true }),
      measuredValue: t.float({ required: true }),
      timestamp: t.string({
        required: true,
        description:
          'ISO 8601, as the station wrote it: with an offset, or without one to be read in the ' +
          'machine’s site time zone (e.g. 2026-10-27T10:00:00)',
      }),
      unit: t.string(),
    }),
  });

  const read = { permission: 'plant:read' };
  const manage = { permission: 'quality:manage' };
  const send = { permission: 'ingest:write' };

  /** Filters: a null argument means "no filter", like an absent one. */
  const filterOf = (args: Args) => snakeCase(args, { dropNulls: true });

  builder.queryFields((t) => ({
    testResultsPage: t.field({
      type: TestResultPage,
      description: 'Test results on your sites, newest first (GET /results)',
      args: { filter: t.arg({ type: TestResultPageFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          results.list(
            c.caller,
            parseInput(
              dto.resultFilterInput,
              filterOf({ ...args.filter, limit: args.first, cursor: args.after }),
            ),
          ),
      ),
    }),
    machineTestStatus: t.field({
      type: MachineTestStatus,
      description: 'The latest result of a machine: its plant code, or its numeric id',
      args: { machine: t.arg.string({ required: true }) },
      ...withAccess(read, (_p, args: { machine: string }, c) =>
        results.machineStatus(
          c.caller,
          parseInput(dto.machineRefParam, { machine_id: args.machine }).machine_id,
        ),
      ),
    }),
    qualityMetrics: t.field({
      type: QualityMetrics,
      description:
        'Pass rate for any machine, product, step and period (default: the last 24 h), optionally per hour or day',
      args: {
        siteId: t.arg.id(),
        machineId: t.arg.string({ description: 'The machine’s plant code (any case)' }),
        productId: t.arg.string(),
        testStep: t.arg.string(),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        bucket: t.arg({ type: MetricsBucketSize }),
      },
      ...withAccess(read, (_p, args: Args, c) =>
        results.metrics(
          c.caller,
          parseInput(dto.qualityMetricsInput, filterOf({ ...args, bucket: lower(args.bucket) })),
        ),
      ),
    }),
    unitTrace: t.field({
      type: UnitTraceRef,
      description: 'Every result of one serial number across all stations (traceability)',
      args: { barcode: t.arg.string({ required: true }) },
      ...withAccess(read, (_p, args: { barcode: string }, c) =>
        results.unit(c.caller, parseInput(dto.barcodeParam, { barcode: args.barcode }).barcode),
      ),
    }),
    qualityMachineTiles: t.field({
      type: [MachineTile],
      description: 'A tile per machine: last verdict, pass rate over the last 60 minutes, colour',
      args: { siteId: t.arg.id() },
      ...withAccess(read, (_p, args: Args, c) =>
        analytics.tiles(c.caller, parseInput(analyticsDto.tilesInput, filterOf(args)).site_id),
      ),
    }),
    qualityTopFailures: t.field({
      type: [TopFailureRef],
      description: 'Product × test steps with the most FAILs in the period (default: the last 24 h)',
      args: {
        siteId: t.arg.id(),
        machineId: t.arg.string({ description: 'The machine’s plant code (any case)' }),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        limit: t.arg.int({ description: '1–100, default 10' }),
      },
      ...withAccess(read, (_p, args: Args, c) =>
        analytics.topFailures(c.caller, parseInput(analyticsDto.topFailuresInput, filterOf(args))),
      ),
    }),
    qualitySpc: t.field({
      type: SpcChartRef,
      description:
        'I-MR chart of the latest results of a product × step (default: the last 7 days) with its limits, Cp and Cpk',
      args: {
        productId: t.arg.string({ required: true }),
        testStep: t.arg.string({ required: true }),
        machineId: t.arg.string({ description: 'The machine’s plant code (any case)' }),
        siteId: t.arg.id(),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        limit: t.arg.int({ description: 'Points, 2–1000, default 200' }),
      },
      ...withAccess(read, (_p, args: Args, c) =>
        analytics.spc(c.caller, parseInput(analyticsDto.spcInput, filterOf(args))),
      ),
    }),
    qualityAlerts: t.field({
      type: [QualityAlert],
      description: 'Quality alerts, newest first (open ones unless open: false)',
      args: {
        siteId: t.arg.id(),
        open: t.arg.boolean(),
        limit: t.arg.int({ description: '1–500, default 100' }),
      },
      ...withAccess(read, (_p, args: Args, c) =>
        alerts.list(
          c.caller,
          parseInput(
            alertsDto.alertFilterInput,
            filterOf({ ...args, open: typeof args.open === 'boolean' ? String(args.open) : args.open }),
          ),
        ),
      ),
    }),
    qualityAlertRule: t.field({
      type: QualityAlertRule,
      description: 'The site’s alert rule (the defaults while it has none of its own)',
      args: { siteId: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: { siteId: unknown }, c) =>
        alerts.rule(c.caller, parseInput(alertsDto.siteParam, { site_id: args.siteId }).site_id),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    acknowledgeQualityAlert: t.field({
      type: 'Boolean',
      description: 'Marks an alert seen (it stays open until the machine recovers); true once done',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(manage, async (_p, args: { id: unknown }, c) => {
        await alerts.acknowledge(c.caller, parseInput(alertsDto.alertParam, { alert_id: args.id }).alert_id);
        return true;
      }),
    }),
    saveQualityAlertRule: t.field({
      type: QualityAlertRule,
      description:
        'When to raise alerts on a site: N consecutive FAILs, or a pass rate under a threshold over the last hour',
      args: {
        siteId: t.arg.id({ required: true }),
        consecutiveFails: t.arg.int({ required: true }),
        minPassRate: t.arg.float({ required: true }),
        minSample: t.arg.int({ required: true }),
      },
      ...withAccess(manage, (_p, { siteId, ...rule }: Args, c) =>
        alerts.saveRule(
          c.caller,
          parseInput(alertsDto.siteParam, { site_id: siteId }).site_id,
          parseInput(alertsDto.alertRuleInput, snakeCase(rule)),
        ),
      ),
    }),
    ingestTestResults: t.field({
      type: IngestAccepted,
      description:
        'Sends test results as POST /ingest does: all or nothing (VALIDATION_FAILED or UNKNOWN_MACHINE ' +
        'with errors per item and field, e.g. 1.timestamp); answered once they are durable; the same ' +
        'result sent again is stored once. Large batches: POST /ingest (up to 10,000 per request).',
      args: { results: t.arg({ type: [TestResultInput], required: true }) },
      ...withAccess(send, async (_p, args: { results: Args[] }, c) => {
        const accepted = await ingest.ingest(
          c.caller,
          args.results.map((item) => snakeCase(item, { dropNulls: true })),
        );
        return { accepted, message: `${accepted} result(s) accepted` };
      }),
    }),
  }));
}
