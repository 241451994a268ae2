import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './repair.dto.ts';
import type { RepairService } from './repair.service.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function repairRoutes(repairs: RepairService) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const write = { config: { access: { permission: 'repair:write' } } } as const;
    const tags = ['repairs'];
    app.get(
      '/repairs',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Repairs, newest first; filters by site, line, machine, status, type, period and free text',
          querystring: dto.repairFilterInput,
          response: {
            200: z.object({ items: z.array(dto.repairOutput), next_cursor: z.string().nullable() }),
          },
        },
      },
      (request) => repairs.list(request.ctx, request.query),
    );
    app.get(
      '/repairs/:id',
      { ...read, schema: { tags, params: idParam, response: { 200: dto.repairOutput } } },
      (request) => repairs.get(request.ctx, request.params.id),
    );
    app.post(
      '/repairs',
      { ...write, schema: { tags, body: dto.createRepairInput, response: { 201: dto.repairOutput } } },
      async (request, reply) => reply.status(201).send(await repairs.create(request.ctx, request.body)),
    );
    app.patch(
      '/repairs/:id',
      {
        ...write,
        schema: { tags, params: idParam, body: dto.updateRepairInput, response: { 200: dto.repairOutput } },
      },
      (request) => repairs.update(request.ctx, request.params.id, request.body),
    );
  };
}
