import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './checklist.dto.ts';
import type { ChecklistService } from './checklist.service.ts';

export function checklistRoutes(checklists: ChecklistService) {
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'catalog:manage' } } } as const;
    const tags = ['checklists'];
    app.get(
      '/checklist-templates',
      {
        ...read,
        schema: {
          tags,
          summary: 'Checklist templates by name; with site_id, the ones a log on that site may use',
          querystring: dto.templateFilterInput,
          response: { 200: z.array(dto.templateOutput) },
        },
      },
      (request) => checklists.list(request.ctx, request.query),
    );
    app.get(
      '/checklist-templates/:id',
      { ...read, schema: { tags, params: dto.templateIdParam, response: { 200: dto.templateOutput } } },
      (request) => checklists.get(request.ctx, request.params.id),
    );
    app.post(
      '/checklist-templates',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Create a checklist template with its steps in order',
          body: dto.createTemplateInput,
          response: { 201: dto.templateOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await checklists.create(request.ctx, request.body)),
    );
    app.patch(
      '/checklist-templates/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Rename, (de)activate, or replace the steps (logs keep the steps they answered)',
          params: dto.templateIdParam,
          body: dto.updateTemplateInput,
          response: { 200: dto.templateOutput },
        },
      },
      (request) => checklists.update(request.ctx, request.params.id, request.body),
    );
    app.delete(
      '/checklist-templates/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Delete a template no log or plan uses (a used one: deactivate it)',
          params: dto.templateIdParam,
        },
      },
      async (request, reply) => {
        await checklists.remove(request.ctx, request.params.id);
        return reply.status(204).send();
      },
    );
  };
}
