import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as catalogDto from './catalog.dto.ts';
import type { CatalogService } from './catalog.service.ts';
import * as dto from './downtime.dto.ts';
import type { DowntimeService } from './downtime.service.ts';
import { HISTORY_KINDS, historyInput, type HistoryService } from './history.service.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function maintenanceRoutes(services: { downtimes: DowntimeService; catalog: CatalogService }) {
  const { downtimes, catalog } = services;
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const recordStops = { config: { access: { permission: 'downtime:record' } } } as const;
    const manageCatalog = { config: { access: { permission: 'catalog:manage' } } } as const;
    const tags = ['downtime'];

    app.get(
      '/downtimes',
      {
        ...read,
        schema: {
          tags,
          summary: 'Stops that overlap the period, newest first',
          querystring: dto.downtimeFilterInput,
          response: {
            200: z.object({ items: z.array(dto.downtimeOutput), next_cursor: z.string().nullable() }),
          },
        },
      },
      (request) => downtimes.list(request.ctx, request.query),
    );
    app.get(
      '/downtimes/:id',
      { ...read, schema: { tags, params: idParam, response: { 200: dto.downtimeOutput } } },
      (request) => downtimes.get(request.ctx, request.params.id),
    );
    app.post(
      '/downtimes',
      {
        ...recordStops,
        schema: {
          tags,
          summary: 'The machine stopped',
          body: dto.createDowntimeInput,
          response: { 201: dto.downtimeOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await downtimes.create(request.ctx, request.body)),
    );
    app.patch(
      '/downtimes/:id',
      {
        ...recordStops,
        schema: {
          tags,
          params: idParam,
          body: dto.updateDowntimeInput,
          response: { 200: dto.downtimeOutput },
        },
      },
      (request) => downtimes.update(request.ctx, request.params.id, request.body),
    );
    app.post(
      '/downtimes/:id/end',
      {
        ...recordStops,
        schema: {
          tags,
          summary: 'The machine runs again',
          params: idParam,
          body: dto.endDowntimeInput.optional(),
          response: { 200: dto.downtimeOutput },
        },
      },
      (request) => downtimes.end(request.ctx, request.params.id, request.body?.end_datetime),
    );

    const catalogTags = ['catalog'];
    app.get(
      '/catalog/downtime-reasons',
      {
        ...read,
        schema: {
          tags: catalogTags,
          querystring: catalogDto.catalogListInput,
          response: { 200: z.array(catalogDto.reasonOutput) },
        },
      },
      (request) => catalog.reasons(request.ctx, request.query.include_inactive),
    );
    app.post(
      '/catalog/downtime-reasons',
      {
        ...manageCatalog,
        schema: {
          tags: catalogTags,
          body: catalogDto.createReasonInput,
          response: { 201: catalogDto.reasonOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await catalog.createReason(request.ctx, request.body)),
    );
    app.patch(
      '/catalog/downtime-reasons/:id',
      {
        ...manageCatalog,
        schema: {
          tags: catalogTags,
          params: idParam,
          body: catalogDto.updateReasonInput,
          response: { 200: catalogDto.reasonOutput },
        },
      },
      (request) => catalog.updateReason(request.ctx, request.params.id, request.body),
    );
    app.get(
      '/catalog/failure-codes',
      {
        ...read,
        schema: {
          tags: catalogTags,
          querystring: catalogDto.catalogListInput,
          response: { 200: z.array(catalogDto.failureCodeOutput) },
        },
      },
      (request) => catalog.failureCodes(request.ctx, request.query.include_inactive),
    );
    app.post(
      '/catalog/failure-codes',
      {
        ...manageCatalog,
        schema: {
          tags: catalogTags,
          body: catalogDto.createFailureCodeInput,
          response: { 201: catalogDto.failureCodeOutput },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createFailureCode(request.ctx, request.body)),
    );
    app.patch(
      '/catalog/failure-codes/:id',
      {
        ...manageCatalog,
        schema: {
          tags: catalogTags,
          params: idParam,
          body: catalogDto.updateFailureCodeInput,
          response: { 200: catalogDto.failureCodeOutput },
        },
      },
      (request) => catalog.updateFailureCode(request.ctx, request.params.id, request.body),
    );
  };
}

export function historyRoutes(history: HistoryService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/machines/:machine_id/history',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags: ['plant'],
          summary: 'Everything that happened to a machine: stops, repairs and changes, newest first',
          params: z.object({ machine_id: idParam.shape.id }),
          querystring: historyInput,
          response: {
            200: z.object({
              items: z.array(
                z.object({
                  kind: z.enum(HISTORY_KINDS),
                  id: z.number(),
                  at: z.date(),
                  summary: z.string(),
                  actor_username: z.string().nullable(),
                  details: z.record(z.string(), z.unknown()),
                }),
              ),
              next_cursor: z.string().nullable(),
            }),
          },
        },
      },
      (request) => history.machineHistory(request.ctx, request.params.machine_id, request.query),
    );
  };
}
