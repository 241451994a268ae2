import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './production.dto.ts';
import type { IssueService } from './issue.service.ts';
import type { ProductionMetricsService } from './metrics.service.ts';
import type { RouteService } from './route.service.ts';
import type { StageService } from './stage.service.ts';
import type { WorkOrderService } from './work-order.service.ts';

export interface ProductionServices {
  workOrders: WorkOrderService;
  stages: StageService;
  issues: IssueService;
  routes: RouteService;
  metrics: ProductionMetricsService;
}

/** Lists the mobile client reads are plain arrays; the next page's cursor travels in a header. */
const NEXT_CURSOR = 'x-next-cursor';

/**
 * The production-tracking REST API. The paths, methods and snake_case bodies of the mobile client's
 * API are kept as they were (`/workorders/`, `/stages/{wos_id}/start`, …); the rest is new.
 */
export function productionRoutes(services: ProductionServices) {
  const { workOrders, stages, issues, routes, metrics } = services;
  return async function register(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'production:read' } } } as const;
    const plan = { config: { access: { permission: 'workorder:plan' } } } as const;
    const work = { config: { access: { permission: 'stage:work' } } } as const;
    const manageIssues = { config: { access: { permission: 'issue:manage' } } } as const;
    const tags = ['production'];

    app.get(
      '/workorders/',
      {
        ...read,
        schema: {
          tags,
          summary: 'Work orders, latest planned start first (next page: X-Next-Cursor header)',
          querystring: dto.workOrderFilterInput,
          response: { 200: z.array(dto.workOrderOutput) },
        },
      },
      async (request, reply) => {
        const page = await workOrders.list(request.ctx, request.query);
        if (page.next_cursor) void reply.header(NEXT_CURSOR, page.next_cursor);
        return page.items;
      },
    );
    app.post(
      '/workorders/',
      {
        ...plan,
        schema: {
          tags,
          summary: 'Create a work order; its stages come from the product route unless given',
          body: dto.createWorkOrderInput,
          response: { 201: dto.workOrderOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await workOrders.create(request.ctx, request.body)),
    );
    app.get(
      '/workorders/:wo_id',
      { ...read, schema: { tags, params: dto.woIdParam, response: { 200: dto.workOrderOutput } } },
      (request) => workOrders.get(request.ctx, request.params.wo_id),
    );
    app.patch(
      '/workorders/:wo_id',
      {
        ...plan,
        schema: {
          tags,
          params: dto.woIdParam,
          body: dto.updateWorkOrderInput,
          response: { 200: dto.workOrderOutput },
        },
      },
      (request) => workOrders.update(request.ctx, request.params.wo_id, request.body),
    );
    app.delete(
      '/workorders/:wo_id',
      { ...plan, schema: { tags, summary: 'Delete an order nobody has started on', params: dto.woIdParam } },
      async (request, reply) => {
        await workOrders.remove(request.ctx, request.params.wo_id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/workorders/:wo_id/stages',
      {
        ...read,
        schema: {
          tags,
          summary: 'The stages of a work order (a worker gets the ones assigned to them)',
          params: dto.woIdParam,
          response: { 200: z.array(dto.stageOutput) },
        },
      },
      (request) => workOrders.stages(request.ctx, request.params.wo_id),
    );
    app.get(
      '/workorders/:wo_id/metrics',
      { ...read, schema: { tags, params: dto.woIdParam, response: { 200: dto.workOrderMetricsOutput } } },
      (request) => metrics.workOrder(request.ctx, request.params.wo_id),
    );
    app.get(
      '/workorders/:wo_id/issues',
      { ...read, schema: { tags, params: dto.woIdParam, response: { 200: z.array(dto.issueOutput) } } },
      (request) => issues.ofWorkOrder(request.ctx, request.params.wo_id),
    );

    app.get(
      '/stages/mine',
      {
        ...work,
        schema: {
          tags,
          summary: 'My stages for a day in my site’s time zone (default today)',
          querystring: dto.myStagesInput,
          response: { 200: z.array(dto.stageOutput) },
        },
      },
      (request) => stages.mine(request.ctx, request.query.date),
    );
    app.get(
      '/stages/:wos_id',
      { ...read, schema: { tags, params: dto.wosIdParam, response: { 200: dto.stageOutput } } },
      (request) => workOrders.stage(request.ctx, request.params.wos_id),
    );
    app.patch(
      '/stages/:wos_id',
      {
        ...plan,
        schema: {
          tags,
          params: dto.wosIdParam,
          body: dto.updateStageInput,
          response: { 200: dto.stageOutput },
        },
      },
      (request) => workOrders.updateStage(request.ctx, request.params.wos_id, request.body),
    );
    app.post(
      '/stages/:wos_id/start',
      {
        ...work,
        schema: {
          tags,
          summary: 'planned → in_progress (400 INVALID_STAGE_TRANSITION from any other status)',
          params: dto.wosIdParam,
          body: dto.startStageInput.nullish(),
          response: { 200: dto.stageOutput },
        },
      },
      (request) => stages.start(request.ctx, request.params.wos_id, request.body?.actual_start),
    );
    app.post(
      '/stages/:wos_id/done',
      {
        ...work,
        schema: {
          tags,
          summary: 'in_progress → done (400 INVALID_STAGE_TRANSITION from any other status)',
          params: dto.wosIdParam,
          body: dto.finishStageInput.nullish(),
          response: { 200: dto.stageOutput },
        },
      },
      (request) => stages.done(request.ctx, request.params.wos_id, request.body?.actual_end),
    );
    app.post(
      '/stages/:wos_id/issue',
      {
        ...work,
        schema: {
          tags,
          summary: 'Report a problem on a stage; a machine breakdown opens the machine’s downtime',
          params: dto.wosIdParam,
          body: dto.raiseIssueInput,
          response: { 201: dto.issueOutput },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await issues.raise(request.ctx, request.params.wos_id, request.body)),
    );
    app.get(
      '/stages/:wos_id/issues',
      { ...read, schema: { tags, params: dto.wosIdParam, response: { 200: z.array(dto.issueOutput) } } },
      (request) => issues.ofStage(request.ctx, request.params.wos_id),
    );
    app.patch(
      '/stages/:wos_id/issues/:issue_id',
      {
        ...manageIssues,
        schema: {
          tags,
          summary: 'open → acknowledged → resolved',
          params: dto.issueParams,
          body: dto.updateIssueInput,
          response: { 200: dto.issueOutput },
        },
      },
      (request) =>
        issues.updateStatus(request.ctx, request.params.wos_id, request.params.issue_id, request.body),
    );
    app.get(
      '/stages/:wos_id/metrics',
      { ...read, schema: { tags, params: dto.wosIdParam, response: { 200: dto.stageMetricsOutput } } },
      (request) => metrics.stage(request.ctx, request.params.wos_id),
    );
    app.get(
      '/stages/:wos_id/assignments',
      { ...read, schema: { tags, params: dto.wosIdParam, response: { 200: z.array(dto.assigneeOutput) } } },
      (request) => stages.assignees(request.ctx, request.params.wos_id),
    );
    app.post(
      '/stages/:wos_id/assignments',
      {
        ...plan,
        schema: {
          tags,
          summary: 'Assign a worker to the stage (answers the stage’s assignees)',
          params: dto.wosIdParam,
          body: dto.assignInput,
          response: { 201: z.array(dto.assigneeOutput) },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await stages.assign(request.ctx, request.params.wos_id, request.body.user_id)),
    );
    app.delete(
      '/stages/:wos_id/assignments/:user_id',
      { ...plan, schema: { tags, params: dto.assignmentParams } },
      async (request, reply) => {
        await stages.unassign(request.ctx, request.params.wos_id, request.params.user_id);
        return reply.status(204).send();
      },
    );

    app.get(
      '/issues',
      {
        ...manageIssues,
        schema: {
          tags,
          summary: 'Production issues, newest first (next page: X-Next-Cursor header)',
          querystring: dto.issueFilterInput,
          response: { 200: z.array(dto.issueOutput) },
        },
      },
      async (request, reply) => {
        const page = await issues.list(request.ctx, request.query);
        if (page.next_cursor) void reply.header(NEXT_CURSOR, page.next_cursor);
        return page.items;
      },
    );
    app.get(
      '/issue-types',
      {
        ...read,
        schema: {
          tags,
          querystring: dto.issueTypeListInput,
          response: { 200: z.array(dto.issueTypeOutput) },
        },
      },
      (request) => issues.types(request.ctx, request.query.include_inactive),
    );
    const manageCatalog = { config: { access: { permission: 'catalog:manage' } } } as const;
    app.post(
      '/issue-types',
      {
        ...manageCatalog,
        schema: { tags, body: dto.createIssueTypeInput, response: { 201: dto.issueTypeOutput } },
      },
      async (request, reply) => reply.status(201).send(await issues.createType(request.ctx, request.body)),
    );
    app.patch(
      '/issue-types/:code',
      {
        ...manageCatalog,
        schema: {
          tags,
          params: dto.issueTypeParam,
          body: dto.updateIssueTypeInput,
          response: { 200: dto.issueTypeOutput },
        },
      },
      (request) => issues.updateType(request.ctx, request.params.code, request.body),
    );

    app.get(
      '/production/routes',
      {
        ...read,
        schema: {
          tags,
          summary: 'Routes (stage templates); a site without its own default shows the built-in one',
          querystring: dto.routeFilterInput,
          response: { 200: z.array(dto.routeOutput) },
        },
      },
      (request) => routes.list(request.ctx, request.query.site_id),
    );
    app.put(
      '/production/routes',
      {
        ...plan,
        schema: {
          tags,
          summary: 'Create or replace the route of a site and product (no product: the site default)',
          body: dto.saveRouteInput,
          response: { 200: dto.routeOutput },
        },
      },
      (request) => routes.save(request.ctx, request.body),
    );
    app.delete(
      '/production/routes/:route_id',
      { ...plan, schema: { tags, params: dto.routeIdParam } },
      async (request, reply) => {
        await routes.remove(request.ctx, request.params.route_id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/production/metrics',
      {
        ...read,
        schema: {
          tags,
          summary: 'On-time %, delay and efficiency of what finished in a period, per day or week',
          querystring: dto.productionMetricsInput,
          response: { 200: dto.productionMetricsOutput },
        },
      },
      (request) => metrics.summary(request.ctx, request.query),
    );
  };
}
