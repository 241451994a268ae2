import multipart from '@fastify/multipart';
import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { attachmentOutput, uploadOf, type FileService } from '../files/index.ts';
import * as dto from './maintenance-log.dto.ts';
import type { MaintenanceLogService } from './maintenance-log.service.ts';

/** The files a log's photos go through (checked, re-encoded and stored by the files module). */
export type LogFiles = Pick<FileService, 'attach' | 'list' | 'limits'>;

export function maintenanceLogRoutes(logs: MaintenanceLogService, files?: LogFiles) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const write = { config: { access: { permission: 'toollog:write' } } } as const;
    const tags = ['maintenance-logs'];
    app.get(
      '/maintenance-logs',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Maintenance logs, newest first; filters by site, tool, machine, PM plan, kind, who, follow-up and period',
          querystring: dto.logFilterInput,
          response: { 200: dto.logPageOutput },
        },
      },
      (request) => logs.list(request.ctx, request.query),
    );
    app.get(
      '/maintenance-logs/:id',
      { ...read, schema: { tags, params: dto.logIdParam, response: { 200: dto.logOutput } } },
      (request) => logs.get(request.ctx, request.params.id),
    );
    app.post(
      '/maintenance-logs',
      {
        ...write,
        schema: {
          tags,
          summary:
            'Write a maintenance log of a tool or machine with its checklist answered (every step; not ok needs a note)',
          body: dto.createLogInput,
          response: { 201: dto.logOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await logs.create(request.ctx, request.body)),
    );

    if (files) await app.register(photoRoutes(files));
  };
}

/** Photos of logs, in their own scope: only these routes take multipart bodies (the log itself is JSON). */
function photoRoutes(files: LogFiles) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const write = { config: { access: { permission: 'toollog:write' } } } as const;
    const tags = ['maintenance-logs'];
    const maxBytes = files.limits.maxBytes;
    await app.register(multipart, { limits: { fileSize: maxBytes, files: 1, fields: 5, parts: 6 } });
    const owner = (logId: number) => ({ owner_type: 'maintenance_log', owner_id: logId }) as const;
    app.post(
      '/maintenance-logs/:log_id/photos',
      {
        ...write,
        schema: {
          tags,
          summary: `Add a photo (or PDF) to a maintenance log, at most ${maxBytes / 1024 / 1024} MiB, as multipart field "file"`,
          consumes: ['multipart/form-data'],
          params: dto.logPhotoParam,
          response: { 201: attachmentOutput },
        },
      },
      async (request, reply) => {
        const upload = await uploadOf(request, maxBytes);
        return reply.status(201).send(await files.attach(request.ctx, owner(request.params.log_id), upload));
      },
    );
    app.get(
      '/maintenance-logs/:log_id/photos',
      {
        ...read,
        schema: {
          tags,
          summary: "The log's photos and documents",
          params: dto.logPhotoParam,
          response: { 200: z.array(attachmentOutput) },
        },
      },
      (request) => files.list(request.ctx, owner(request.params.log_id)),
    );
  };
}
