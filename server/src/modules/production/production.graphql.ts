import type { z } from 'zod';
import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder, GraphQLContext, SchemaTypes } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import type { MachineOutput, PlantService, registerPlantGraphql } from '../plant/index.ts';
import * as dto from './production.dto.ts';
import type { ProductionServices } from './production.routes.ts';

type Args = Record<string, unknown>;
type FieldBuilder<T> = PothosSchemaTypes.ObjectFieldBuilder<
  PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>,
  T
>;
type PlantRefs = ReturnType<typeof registerPlantGraphql>;
type Page<T> = { items: T[]; next_cursor: string | null };
type Metrics = dto.Metrics;
type WorkOrderMetrics = z.output<typeof dto.workOrderMetricsOutput>;
type StageMetrics = z.output<typeof dto.stageMetricsOutput>;
type ProductionMetricsBucket = dto.ProductionMetricsOutput['buckets'][number];
type Assignee = z.output<typeof dto.assigneeOutput>;

/** GraphQL speaks upper-case enums (IN_PROGRESS, ACKNOWLEDGED); the services use lower case. */
const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value);
const upper = <T extends string>(value: T) => value.toUpperCase() as Uppercase<T>;

/**
 * camelCase args → the REST/zod shape (snakeCase), with DateTime values back as ISO strings: the
 * DTOs read instants the way they arrive in a REST body.
 */
const restShape = (input: Args, options: { dropNulls?: boolean } = {}): Args =>
  Object.fromEntries(
    Object.entries(snakeCase(input, options)).map(([key, value]) => [
      key,
      value instanceof Date ? value.toISOString() : value,
    ]),
  );

/**
 * Production tracking over GraphQL: the same services, DTOs and permissions as production.routes.ts,
 * in camelCase. Nested lists (a work order's stages, issues, metrics; a stage's machine) go through
 * per-request DataLoaders, so one id is loaded once per operation.
 */
export function registerProductionGraphql(
  builder: Builder,
  services: ProductionServices & { plant: Pick<PlantService, 'getMachine'> },
  refs: Pick<PlantRefs, 'Machine'>,
) {
  const { workOrders, stages, issues, routes, metrics, plant } = services;
  const { Machine } = refs;

  /** A loader that loads each key on its own (the services answer one id at a time), once per request. */
  const eachOnce = <V>(c: GraphQLContext, name: string, load: (id: number) => Promise<V>) =>
    c.loader<number, V>(name, (ids) => Promise.all(ids.map((id) => load(id).catch((error: Error) => error))));
  const machineOf = (c: GraphQLContext, id: number | null) =>
    id === null
      ? null
      : eachOnce<MachineOutput>(c, 'machineById', (key) => plant.getMachine(c.caller, key)).load(id);

  const StageStatus = builder.enumType('StageStatus', {
    values: ['PLANNED', 'IN_PROGRESS', 'DONE'] as const,
  });
  const WorkOrderStatus = builder.enumType('WorkOrderStatus', {
    values: ['PLANNED', 'IN_PROGRESS', 'DONE'] as const,
  });
  const IssueStatus = builder.enumType('IssueStatus', {
    values: ['OPEN', 'ACKNOWLEDGED', 'RESOLVED'] as const,
  });
  const MetricsLevel = builder.enumType('ProductionMetricsLevel', {
    values: ['WORK_ORDER', 'STAGE'] as const,
  });
  const MetricsBucket = builder.enumType('ProductionMetricsBucketSize', { values: ['DAY', 'WEEK'] as const });

  const WorkOrder = builder.objectRef<dto.WorkOrderOutput>('WorkOrder');
  const Stage = builder.objectRef<dto.StageOutput>('WorkOrderStage');
  const Issue = builder.objectRef<dto.IssueOutput>('ProductionIssue');

  const AssigneeRef = builder.objectRef<Assignee>('Assignee').implement({
    fields: (t) => ({
      userId: t.id({ resolve: (a) => a.user_id }),
      username: t.exposeString('username'),
      fullName: t.string({ nullable: true, resolve: (a) => a.full_name }),
    }),
  });

  /** The figures every metrics type shares (docs/kpis.md); `reason` says why some are null. */
  const metricsFields = <T extends Metrics>(t: FieldBuilder<T>) => ({
    plannedMinutes: t.float({ nullable: true, resolve: (m) => m.planned_minutes }),
    actualMinutes: t.float({ nullable: true, resolve: (m) => m.actual_minutes }),
    delayMinutes: t.float({ nullable: true, resolve: (m) => m.delay_minutes }),
    efficiencyPct: t.float({ nullable: true, resolve: (m) => m.efficiency_pct }),
    onTime: t.boolean({ nullable: true, resolve: (m) => m.on_time }),
    reason: t.string({ nullable: true, resolve: (m) => m.reason }),
  });

  const StageMetricsEntry = builder
    .objectRef<WorkOrderMetrics['stages'][number]>('WorkOrderStageMetrics')
    .implement({
      fields: (t) => ({
        stageId: t.id({ resolve: (m) => m.stage_id }),
        stageName: t.string({ resolve: (m) => m.stage_name }),
        ...metricsFields(t),
      }),
    });
  const WorkOrderMetricsRef = builder.objectRef<WorkOrderMetrics>('WorkOrderMetrics').implement({
    description: 'Delay, efficiency and on-time of the order (first start to last end) and of each stage',
    fields: (t) => ({
      workOrderId: t.id({ resolve: (m) => m.work_order_id }),
      status: t.field({ type: WorkOrderStatus, resolve: (m) => upper(m.status) }),
      ...metricsFields(t),
      stages: t.field({ type: [StageMetricsEntry], resolve: (m) => m.stages }),
    }),
  });
  const StageMetricsRef = builder.objectRef<StageMetrics>('StageMetrics').implement({
    fields: (t) => ({
      stageId: t.id({ resolve: (m) => m.stage_id }),
      workOrderId: t.id({ resolve: (m) => m.work_order_id }),
      status: t.field({ type: StageStatus, resolve: (m) => upper(m.status) }),
      ...metricsFields(t),
    }),
  });

  const loadWorkOrder = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'workOrderById', (key) => workOrders.get(c.caller, key)).load(id);
  const loadStages = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'stagesByWorkOrder', (key) => workOrders.stages(c.caller, key)).load(id);
  const loadOrderIssues = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'issuesByWorkOrder', (key) => issues.ofWorkOrder(c.caller, key)).load(id);
  const loadOrderMetrics = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'metricsByWorkOrder', (key) => metrics.workOrder(c.caller, key)).load(id);
  const loadStageIssues = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'issuesByStage', (key) => issues.ofStage(c.caller, key)).load(id);
  const loadStageMetrics = (c: GraphQLContext, id: number) =>
    eachOnce(c, 'metricsByStage', (key) => metrics.stage(c.caller, key)).load(id);

  WorkOrder.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (wo) => wo.site_id }),
      lineId: t.id({ nullable: true, resolve: (wo) => wo.line_id }),
      lineCode: t.string({ nullable: true, resolve: (wo) => wo.line_code }),
      productCode: t.string({ resolve: (wo) => wo.product_code }),
      lotNo: t.string({ resolve: (wo) => wo.lot_no }),
      qty: t.exposeInt('qty'),
      plannedStart: t.field({ type: 'DateTime', resolve: (wo) => wo.planned_start }),
      plannedEnd: t.field({ type: 'DateTime', resolve: (wo) => wo.planned_end }),
      actualStart: t.field({ type: 'DateTime', nullable: true, resolve: (wo) => wo.actual_start }),
      actualEnd: t.field({ type: 'DateTime', nullable: true, resolve: (wo) => wo.actual_end }),
      status: t.field({ type: WorkOrderStatus, resolve: (wo) => upper(wo.status) }),
      stageCount: t.int({ resolve: (wo) => wo.stage_count }),
      stagesDone: t.int({ resolve: (wo) => wo.stages_done }),
      openIssues: t.int({ resolve: (wo) => wo.open_issues }),
      notes: t.string({ nullable: true, resolve: (wo) => wo.notes }),
      createdBy: t.id({ nullable: true, resolve: (wo) => wo.created_by }),
      createdAt: t.field({ type: 'DateTime', resolve: (wo) => wo.created_at }),
      updatedAt: t.field({ type: 'DateTime', resolve: (wo) => wo.updated_at }),
      stages: t.field({
        type: [Stage],
        description: 'In route order; a worker sees the ones assigned to them',
        resolve: (wo, _args, c) => loadStages(c, wo.id),
      }),
      issues: t.field({ type: [Issue], resolve: (wo, _args, c) => loadOrderIssues(c, wo.id) }),
      metrics: t.field({ type: WorkOrderMetricsRef, resolve: (wo, _args, c) => loadOrderMetrics(c, wo.id) }),
    }),
  });

  Stage.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      workOrderId: t.id({ resolve: (s) => s.work_order_id }),
      workOrder: t.field({ type: WorkOrder, resolve: (s, _args, c) => loadWorkOrder(c, s.work_order_id) }),
      siteId: t.id({ resolve: (s) => s.site_id }),
      position: t.exposeInt('position'),
      stageName: t.string({ resolve: (s) => s.stage_name }),
      machineId: t.id({ nullable: true, resolve: (s) => s.machine_id }),
      machineCode: t.string({ nullable: true, resolve: (s) => s.machine_code }),
      machine: t.field({
        type: Machine,
        nullable: true,
        resolve: (s, _args, c) => machineOf(c, s.machine_id),
      }),
      plannedStart: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.planned_start }),
      plannedEnd: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.planned_end }),
      actualStart: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.actual_start }),
      actualEnd: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.actual_end }),
      status: t.field({ type: StageStatus, resolve: (s) => upper(s.status) }),
      startedBy: t.id({ nullable: true, resolve: (s) => s.started_by }),
      finishedBy: t.id({ nullable: true, resolve: (s) => s.finished_by }),
      assignees: t.field({ type: [AssigneeRef], resolve: (s) => s.assignees }),
      openIssues: t.int({ resolve: (s) => s.open_issues }),
      productCode: t.string({ resolve: (s) => s.product_code }),
      lotNo: t.string({ resolve: (s) => s.lot_no }),
      qty: t.exposeInt('qty'),
      issues: t.field({ type: [Issue], resolve: (s, _args, c) => loadStageIssues(c, s.id) }),
      metrics: t.field({ type: StageMetricsRef, resolve: (s, _args, c) => loadStageMetrics(c, s.id) }),
    }),
  });

  Issue.implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (i) => i.site_id }),
      stageId: t.id({ resolve: (i) => i.work_order_stage_id }),
      workOrderId: t.id({ resolve: (i) => i.work_order_id }),
      stageName: t.string({ resolve: (i) => i.stage_name }),
      productCode: t.string({ resolve: (i) => i.product_code }),
      lotNo: t.string({ resolve: (i) => i.lot_no }),
      type: t.string({ description: 'An issue type code, e.g. machine_breakdown', resolve: (i) => i.type }),
      description: t.exposeString('description'),
      status: t.field({ type: IssueStatus, resolve: (i) => upper(i.status) }),
      machineId: t.id({ nullable: true, resolve: (i) => i.machine_id }),
      machine: t.field({
        type: Machine,
        nullable: true,
        resolve: (i, _args, c) => machineOf(c, i.machine_id),
      }),
      downtimeId: t.id({ nullable: true, resolve: (i) => i.downtime_id }),
      createdBy: t.id({ nullable: true, resolve: (i) => i.created_by }),
      createdByName: t.string({ nullable: true, resolve: (i) => i.created_by_name }),
      createdAt: t.field({ type: 'DateTime', resolve: (i) => i.created_at }),
      acknowledgedBy: t.id({ nullable: true, resolve: (i) => i.acknowledged_by }),
      acknowledgedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.acknowledged_at }),
      resolvedBy: t.id({ nullable: true, resolve: (i) => i.resolved_by }),
      resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.resolved_at }),
      resolutionNote: t.string({ nullable: true, resolve: (i) => i.resolution_note }),
    }),
  });

  const IssueType = builder.objectRef<dto.IssueTypeOutput>('IssueType').implement({
    fields: (t) => ({
      code: t.exposeString('code'),
      name: t.exposeString('name'),
      nameRu: t.string({ nullable: true, resolve: (it) => it.name_ru }),
      isActive: t.boolean({ resolve: (it) => it.is_active }),
      sortOrder: t.int({ resolve: (it) => it.sort_order }),
    }),
  });

  const RouteStep = builder.objectRef<dto.RouteOutput['steps'][number]>('RouteStep').implement({
    fields: (t) => ({
      stageName: t.string({ resolve: (s) => s.stage_name }),
      weight: t.exposeFloat('weight'),
    }),
  });
  const ProductionRoute = builder.objectRef<dto.RouteOutput>('ProductionRoute').implement({
    fields: (t) => ({
      id: t.id({ nullable: true, description: 'Null for the built-in route', resolve: (r) => r.id }),
      siteId: t.id({ resolve: (r) => r.site_id }),
      productCode: t.string({
        nullable: true,
        description: 'Null: the site default',
        resolve: (r) => r.product_code,
      }),
      name: t.exposeString('name'),
      builtIn: t.boolean({ resolve: (r) => r.built_in }),
      steps: t.field({ type: [RouteStep], resolve: (r) => r.steps }),
      updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.updated_at }),
    }),
  });

  const summaryFields = <T extends ProductionMetricsBucket | dto.ProductionMetricsOutput>(
    t: FieldBuilder<T>,
  ) => ({
    finished: t.int({ resolve: (m) => m.finished }),
    withWindows: t.int({ resolve: (m) => m.with_windows }),
    onTime: t.int({ resolve: (m) => m.on_time }),
    onTimePct: t.float({ nullable: true, resolve: (m) => m.on_time_pct }),
    avgDelayMinutes: t.float({ nullable: true, resolve: (m) => m.avg_delay_minutes }),
    efficiencyPct: t.float({ nullable: true, resolve: (m) => m.efficiency_pct }),
  });
  const ProductionMetricsBucketRef = builder
    .objectRef<ProductionMetricsBucket>('ProductionMetricsBucket')
    .implement({
      fields: (t) => ({
        bucketStart: t.field({ type: 'DateTime', resolve: (b) => b.bucket_start }),
        ...summaryFields(t),
      }),
    });
  const ProductionMetrics = builder.objectRef<dto.ProductionMetricsOutput>('ProductionMetrics').implement({
    description: 'On-time %, delay and efficiency of what finished in [from, to), in total and per bucket',
    fields: (t) => ({
      from: t.field({ type: 'DateTime', resolve: (m) => m.from }),
      to: t.field({ type: 'DateTime', resolve: (m) => m.to }),
      level: t.field({ type: MetricsLevel, resolve: (m) => upper(m.level) }),
      reason: t.string({ nullable: true, resolve: (m) => m.reason }),
      ...summaryFields(t),
      buckets: t.field({ type: [ProductionMetricsBucketRef], resolve: (m) => m.buckets }),
    }),
  });

  const WorkOrderPage = builder.objectRef<Page<dto.WorkOrderOutput>>('WorkOrderPage').implement({
    fields: (t) => ({
      items: t.field({ type: [WorkOrder], resolve: (page) => page.items }),
      nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
    }),
  });
  const IssuePage = builder.objectRef<Page<dto.IssueOutput>>('ProductionIssuePage').implement({
    fields: (t) => ({
      items: t.field({ type: [Issue], resolve: (page) => page.items }),
      nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
    }),
  });

  const PlannedStageInput = builder.inputType('PlannedStageInput', {
    fields: (t) => ({
      stageName: t.string(),
      plannedStart: t.field({ type: 'DateTime' }),
      plannedEnd: t.field({ type: 'DateTime' }),
      machineId: t.id(),
    }),
  });
  const WorkOrderInput = builder.inputType('WorkOrderInput', {
    description: 'siteId and stages only when creating (stages default to the product route)',
    fields: (t) => ({
      productCode: t.string(),
      lotNo: t.string(),
      qty: t.int(),
      plannedStart: t.field({ type: 'DateTime' }),
      plannedEnd: t.field({ type: 'DateTime' }),
      siteId: t.id(),
      lineId: t.id(),
      notes: t.string(),
      stages: t.field({ type: [PlannedStageInput] }),
    }),
  });
  const WorkOrderFilter = builder.inputType('WorkOrderFilter', {
    fields: (t) => ({
      siteId: t.id(),
      lineId: t.id(),
      productCode: t.string(),
      status: t.field({ type: WorkOrderStatus }),
      from: t.field({ type: 'DateTime', description: 'Orders whose planned window overlaps [from, to)' }),
      to: t.field({ type: 'DateTime' }),
      text: t.string(),
    }),
  });
  const StageInput = builder.inputType('WorkOrderStageInput', {
    fields: (t) => ({
      stageName: t.string(),
      plannedStart: t.field({ type: 'DateTime' }),
      plannedEnd: t.field({ type: 'DateTime' }),
      machineId: t.id(),
    }),
  });
  const IssueFilter = builder.inputType('ProductionIssueFilter', {
    fields: (t) => ({
      siteId: t.id(),
      status: t.field({ type: IssueStatus }),
      type: t.string(),
      stageId: t.id(),
      workOrderId: t.id(),
    }),
  });
  const IssueTypeInput = builder.inputType('IssueTypeInput', {
    description: 'code only when creating',
    fields: (t) => ({
      code: t.string(),
      name: t.string(),
      nameRu: t.string(),
      isActive: t.boolean(),
      sortOrder: t.int(),
    }),
  });
  const RouteStepInput = builder.inputType('RouteStepInput', {
    fields: (t) => ({ stageName: t.string(), weight: t.float() }),
  });
  const RouteInput = builder.inputType('ProductionRouteInput', {
    description: 'No productCode: the site default route',
    fields: (t) => ({
      siteId: t.id(),
      productCode: t.string(),
      name: t.string(),
      steps: t.field({ type: [RouteStepInput] }),
    }),
  });
  /** camelCase GraphQL input → the REST shape: nested stages too, enums lower case, `text` → `q`. */
  const workOrderToRest = (input: Args, options: { dropNulls: boolean }) => {
    const { stages: planned, ...rest } = input;
    return {
      ...restShape(rest, options),
      ...(Array.isArray(planned)
        ? { stages: planned.map((stage: Args) => restShape(stage, { dropNulls: true })) }
        : {}),
    };
  };
  const filterToRest = (input: Args) => {
    const { status, text, stageId, ...rest } = input;
    return restShape(
      {
        ...rest,
        ...(status != null ? { status: lower(status) } : {}),
        ...(text != null ? { q: text } : {}),
        ...(stageId != null ? { workOrderStageId: stageId } : {}),
      },
      { dropNulls: true },
    );
  };
  const paging = (args: { first?: number | null; after?: string | null }) => ({
    ...(args.first != null ? { limit: args.first } : {}),
    ...(args.after != null ? { cursor: args.after } : {}),
  });
  const woId = (value: unknown) => parseInput(dto.woIdParam, { wo_id: value }).wo_id;
  const wosId = (value: unknown) => parseInput(dto.wosIdParam, { wos_id: value }).wos_id;

  const read = { permission: 'production:read' };
  const plan = { permission: 'workorder:plan' };
  const work = { permission: 'stage:work' };
  const manageIssues = { permission: 'issue:manage' };
  const manageCatalog = { permission: 'catalog:manage' };

  builder.queryFields((t) => ({
    workOrders: t.field({
      type: WorkOrderPage,
      description: 'Latest planned start first',
      args: { filter: t.arg({ type: WorkOrderFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        read,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          workOrders.list(
            c.caller,
            parseInput(dto.workOrderFilterInput, { ...filterToRest(args.filter ?? {}), ...paging(args) }),
          ),
      ),
    }),
    workOrder: t.field({
      type: WorkOrder,
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => workOrders.get(c.caller, woId(args.id))),
    }),
    stage: t.field({
      type: Stage,
      description: 'A work order stage (a worker sees only the ones assigned to them)',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(read, (_p, args: Args, c) => workOrders.stage(c.caller, wosId(args.id))),
    }),
    myStages: t.field({
      type: [Stage],
      description: 'My stages for a day (YYYY-MM-DD) in my site’s time zone; default today',
      args: { date: t.arg.string() },
      ...withAccess(work, (_p, args: { date?: string | null }, c) =>
        stages.mine(c.caller, parseInput(dto.myStagesInput, restShape(args, { dropNulls: true })).date),
      ),
    }),
    issues: t.field({
      type: IssuePage,
      description: 'Production issues, newest first',
      args: { filter: t.arg({ type: IssueFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        manageIssues,
        (_p, args: { filter?: Args | null; first?: number | null; after?: string | null }, c) =>
          issues.list(
            c.caller,
            parseInput(dto.issueFilterInput, { ...filterToRest(args.filter ?? {}), ...paging(args) }),
          ),
      ),
    }),
    issueTypes: t.field({
      type: [IssueType],
      args: { includeInactive: t.arg.boolean() },
      ...withAccess(read, (_p, args: { includeInactive?: boolean | null }, c) =>
        issues.types(c.caller, args.includeInactive ?? false),
      ),
    }),
    productionRoutes: t.field({
      type: [ProductionRoute],
      description: 'Routes (stage templates); a site without its own default shows the built-in one',
      args: { siteId: t.arg.id() },
      ...withAccess(read, (_p, args: Args, c) =>
        routes.list(c.caller, parseInput(dto.routeFilterInput, restShape(args, { dropNulls: true })).site_id),
      ),
    }),
    productionMetrics: t.field({
      type: ProductionMetrics,
      description: 'Default: the last 30 days, per work order, per day',
      args: {
        siteId: t.arg.id(),
        lineId: t.arg.id(),
        productCode: t.arg.string(),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
        level: t.arg({ type: MetricsLevel }),
        bucket: t.arg({ type: MetricsBucket }),
      },
      ...withAccess(read, (_p, args: Args, c) =>
        metrics.summary(
          c.caller,
          parseInput(
            dto.productionMetricsInput,
            restShape({ ...args, level: lower(args.level), bucket: lower(args.bucket) }, { dropNulls: true }),
          ),
        ),
      ),
    }),
  }));

  builder.mutationFields((t) => ({
    createWorkOrder: t.field({
      type: WorkOrder,
      args: { input: t.arg({ type: WorkOrderInput, required: true }) },
      ...withAccess(plan, (_p, { input }: { input: Args }, c) =>
        workOrders.create(
          c.caller,
          parseInput(dto.createWorkOrderInput, workOrderToRest(input, { dropNulls: true })),
        ),
      ),
    }),
    updateWorkOrder: t.field({
      type: WorkOrder,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: WorkOrderInput, required: true }) },
      ...withAccess(plan, (_p, args: { id: unknown; input: Args }, c) =>
        workOrders.update(
          c.caller,
          woId(args.id),
          parseInput(dto.updateWorkOrderInput, workOrderToRest(args.input, { dropNulls: false })),
        ),
      ),
    }),
    deleteWorkOrder: t.boolean({
      description: 'Only an order nobody has started on (else WORK_ORDER_STARTED)',
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(plan, async (_p, args: Args, c) => {
        await workOrders.remove(c.caller, woId(args.id));
        return true;
      }),
    }),
    updateStage: t.field({
      type: Stage,
      args: { id: t.arg.id({ required: true }), input: t.arg({ type: StageInput, required: true }) },
      ...withAccess(plan, (_p, args: { id: unknown; input: Args }, c) =>
        workOrders.updateStage(
          c.caller,
          wosId(args.id),
          parseInput(dto.updateStageInput, restShape(args.input)),
        ),
      ),
    }),
    startStage: t.field({
      type: Stage,
      description: 'PLANNED → IN_PROGRESS (INVALID_STAGE_TRANSITION from any other status)',
      args: { id: t.arg.id({ required: true }), actualStart: t.arg({ type: 'DateTime' }) },
      ...withAccess(work, (_p, args: { id: unknown; actualStart?: Date | null }, c) =>
        stages.start(c.caller, wosId(args.id), args.actualStart ?? undefined),
      ),
    }),
    finishStage: t.field({
      type: Stage,
      description: 'IN_PROGRESS → DONE (INVALID_STAGE_TRANSITION from any other status)',
      args: { id: t.arg.id({ required: true }), actualEnd: t.arg({ type: 'DateTime' }) },
      ...withAccess(work, (_p, args: { id: unknown; actualEnd?: Date | null }, c) =>
        stages.done(c.caller, wosId(args.id), args.actualEnd ?? undefined),
      ),
    }),
    raiseIssue: t.field({
      type: Issue,
      description: 'Report a problem on a stage; a machine breakdown opens the machine’s downtime',
      args: {
        stageId: t.arg.id({ required: true }),
        type: t.arg.string({ required: true }),
        description: t.arg.string({ required: true }),
        machineId: t.arg.id(),
      },
      ...withAccess(work, (_p, { stageId, ...input }: Args, c) =>
        issues.raise(c.caller, wosId(stageId), parseInput(dto.raiseIssueInput, restShape(input))),
      ),
    }),
    updateIssueStatus: t.field({
      type: Issue,
      description: 'OPEN → ACKNOWLEDGED → RESOLVED',
      args: {
        stageId: t.arg.id({ required: true }),
        issueId: t.arg.id({ required: true }),
        status: t.arg({ type: IssueStatus, required: true }),
        note: t.arg.string(),
      },
      ...withAccess(manageIssues, (_p, args: Args, c) => {
        const ids = parseInput(dto.issueParams, { wos_id: args.stageId, issue_id: args.issueId });
        const input = parseInput(
          dto.updateIssueInput,
          restShape({ status: lower(args.status), note: args.note }, { dropNulls: true }),
        );
        return issues.updateStatus(c.caller, ids.wos_id, ids.issue_id, input);
      }),
    }),
    assignStage: t.field({
      type: [AssigneeRef],
      description: 'Assign a worker to the stage; answers the stage’s assignees',
      args: { stageId: t.arg.id({ required: true }), userId: t.arg.id({ required: true }) },
      ...withAccess(plan, (_p, args: Args, c) => {
        const ids = parseInput(dto.assignmentParams, { wos_id: args.stageId, user_id: args.userId });
        return stages.assign(c.caller, ids.wos_id, ids.user_id);
      }),
    }),
    unassignStage: t.boolean({
      args: { stageId: t.arg.id({ required: true }), userId: t.arg.id({ required: true }) },
      ...withAccess(plan, async (_p, args: Args, c) => {
        const ids = parseInput(dto.assignmentParams, { wos_id: args.stageId, user_id: args.userId });
        await stages.unassign(c.caller, ids.wos_id, ids.user_id);
        return true;
      }),
    }),
    saveProductionRoute: t.field({
      type: ProductionRoute,
      description: 'Create or replace the route of a site and product (no product: the site default)',
      args: { input: t.arg({ type: RouteInput, required: true }) },
      ...withAccess(plan, (_p, { input }: { input: Args }, c) => {
        const { steps, ...rest } = input;
        return routes.save(
          c.caller,
          parseInput(dto.saveRouteInput, {
            ...restShape(rest, { dropNulls: true }),
            ...(Array.isArray(steps)
              ? { steps: steps.map((step: Args) => restShape(step, { dropNulls: true })) }
              : {}),
          }),
        );
      }),
    }),
    deleteProductionRoute: t.boolean({
      args: { id: t.arg.id({ required: true }) },
      ...withAccess(plan, async (_p, args: Args, c) => {
        await routes.remove(c.caller, parseInput(dto.routeIdParam, { route_id: args.id }).route_id);
        return true;
      }),
    }),
    createIssueType: t.field({
      type: IssueType,
      args: { input: t.arg({ type: IssueTypeInput, required: true }) },
      ...withAccess(manageCatalog, (_p, { input }: { input: Args }, c) =>
        issues.createType(
          c.caller,
          parseInput(dto.createIssueTypeInput, restShape(input, { dropNulls: true })),
        ),
      ),
    }),
    updateIssueType: t.field({
      type: IssueType,
      args: {
        code: t.arg.string({ required: true }),
        input: t.arg({ type: IssueTypeInput, required: true }),
      },
      ...withAccess(manageCatalog, (_p, args: { code: unknown; input: Args }, c) =>
        issues.updateType(
          c.caller,
          parseInput(dto.issueTypeParam, { code: args.code }).code,
          parseInput(dto.updateIssueTypeInput, restShape(args.input)),
        ),
      ),
    }),
  }));

  return { WorkOrder, WorkOrderStage: Stage, ProductionIssue: Issue };
}
