import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './pm.dto.ts';
import type { PmPlanService } from './pm.service.ts';

const toolPlansQuery = z.object({
  include_inactive: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .default(false),
});

export function pmPlanRoutes(pmPlans: PmPlanService) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'tool:manage' } } } as const;
    const tags = ['pm-plans'];
    app.get(
      '/tools/:tool_id/pm-plans',
      {
        ...read,
        schema: {
          tags,
          summary: "The tool's PM plans with their state now (shots and days used, next due estimate)",
          params: dto.planToolParam,
          querystring: toolPlansQuery,
          response: { 200: z.array(dto.planOutput) },
        },
      },
      (request) => pmPlans.listForTool(request.ctx, request.params.tool_id, request.query.include_inactive),
    );
    app.post(
      '/tools/:tool_id/pm-plans',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Add a PM plan: every N shots and/or N days, warning at a share of the interval',
          params: dto.planToolParam,
          body: dto.createPlanInput,
          response: { 201: dto.planOutput },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await pmPlans.create(request.ctx, request.params.tool_id, request.body)),
    );
    app.get(
      '/pm-plans',
      {
        ...read,
        schema: {
          tags,
          summary: 'PM plans, newest first; filters by site, tool, stored state and responsible person',
          querystring: dto.planFilterInput,
          response: { 200: dto.planPageOutput },
        },
      },
      (request) => pmPlans.list(request.ctx, request.query),
    );
    app.get(
      '/pm-plans/:id',
      { ...read, schema: { tags, params: dto.planIdParam, response: { 200: dto.planOutput } } },
      (request) => pmPlans.get(request.ctx, request.params.id),
    );
    app.patch(
      '/pm-plans/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Change a plan (interval, warning share, checklist, responsible, active)',
          params: dto.planIdParam,
          body: dto.updatePlanInput,
          response: { 200: dto.planOutput },
        },
      },
      (request) => pmPlans.update(request.ctx, request.params.id, request.body),
    );
    app.delete(
      '/pm-plans/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Delete a plan no log was written for (otherwise deactivate it)',
          params: dto.planIdParam,
        },
      },
      async (request, reply) => {
        await pmPlans.remove(request.ctx, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
