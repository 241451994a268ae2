import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { downtimeOutput } from './downtime.dto.ts';
import * as dto from './unexplained.dto.ts';
import type { UnexplainedService } from './unexplained.service.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** The queue of unexplained automatic stops (docs/auto-downtime.md). */
export function unexplainedRoutes(service: UnexplainedService) {
  return async function routes(app: HomApp): Promise<void> {
    const tags = ['downtime'];
    const recordStops = { config: { access: { permission: 'downtime:record' } } } as const;
    app.get(
      '/downtimes/unexplained',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags,
          summary: 'Stops HOM opened by itself that have no reason yet, newest first (open ones too)',
          querystring: dto.unexplainedFilterInput,
          response: {
            200: z.object({ items: z.array(dto.unexplainedOutput), next_cursor: z.string().nullable() }),
          },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );
    app.post(
      '/downtimes/:id/explain',
      {
        ...recordStops,
        schema: {
          tags,
          summary: 'Give a stop without a reason its reason (to change a reason later, PATCH the downtime)',
          params: idParam,
          body: dto.explainInput,
          response: { 200: downtimeOutput },
        },
      },
      (request) => service.explain(request.ctx, request.params.id, request.body),
    );
    app.post(
      '/downtimes/:id/split',
      {
        ...recordStops,
        schema: {
          tags,
          summary: 'Cut a stop into consecutive parts with their own reasons; the parts cover it exactly',
          params: idParam,
          body: dto.splitInput,
          response: { 200: z.object({ parts: z.array(downtimeOutput) }) },
        },
      },
      async (request) => ({ parts: await service.split(request.ctx, request.params.id, request.body) }),
    );
  };
}
