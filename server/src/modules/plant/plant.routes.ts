import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './plant.dto.ts';
import type { PlantService } from './plant.service.ts';

export function plantRoutes(plant: PlantService) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'plant:manage' } } } as const;
    const tags = ['plant'];

    app.get(
      '/lines',
      {
        ...read,
        schema: { tags, querystring: dto.lineFilterInput, response: { 200: z.array(dto.lineOutput) } },
      },
      (request) => plant.listLines(request.ctx, request.query),
    );
    app.get(
      '/lines/:line_id',
      { ...read, schema: { tags, params: dto.lineIdParam, response: { 200: dto.lineOutput } } },
      (request) => plant.getLine(request.ctx, request.params.line_id),
    );
    app.post(
      '/lines',
      { ...manage, schema: { tags, body: dto.createLineInput, response: { 201: dto.lineOutput } } },
      async (request, reply) => reply.status(201).send(await plant.createLine(request.ctx, request.body)),
    );
    app.patch(
      '/lines/:line_id',
      {
        ...manage,
        schema: {
          tags,
          params: dto.lineIdParam,
          body: dto.updateLineInput,
          response: { 200: dto.lineOutput },
        },
      },
      (request) => plant.updateLine(request.ctx, request.params.line_id, request.body),
    );

    app.get(
      '/machines',
      {
        ...read,
        schema: { tags, querystring: dto.machineFilterInput, response: { 200: z.array(dto.machineOutput) } },
      },
      (request) => plant.listMachines(request.ctx, request.query),
    );
    app.get(
      '/machines/:machine_id',
      { ...read, schema: { tags, params: dto.machineIdParam, response: { 200: dto.machineOutput } } },
      (request) => plant.getMachine(request.ctx, request.params.machine_id),
    );
    app.post(
      '/machines',
      { ...manage, schema: { tags, body: dto.createMachineInput, response: { 201: dto.machineOutput } } },
      async (request, reply) => reply.status(201).send(await plant.createMachine(request.ctx, request.body)),
    );
    app.patch(
      '/machines/:machine_id',
      {
        ...manage,
        schema: {
          tags,
          params: dto.machineIdParam,
          body: dto.updateMachineInput,
          response: { 200: dto.machineOutput },
        },
      },
      (request) => plant.updateMachine(request.ctx, request.params.machine_id, request.body),
    );
  };
}
