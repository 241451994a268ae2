import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './action-item.dto.ts';
import type { ActionItemService } from './action-item.service.ts';

/** Action items over REST (docs/actions.md). */
export function actionItemRoutes(service: ActionItemService) {
  return async function register(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const work = { config: { access: { permission: 'action:work' } } } as const;
    const manage = { config: { access: { permission: 'action:manage' } } } as const;
    const tags = ['actions'];

    app.get(
      '/action-items',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Action items on your sites, newest first; filters by status, assignee (id, mine, none), …',
          querystring: dto.actionFilterInput,
          response: { 200: dto.actionPageOutput },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );
    app.post(
      '/action-items',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Create a manual action item',
          body: dto.createActionInput,
          response: { 201: dto.actionDetailOutput },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(request.ctx, request.body)),
    );
    app.get(
      '/action-items/:id',
      {
        ...read,
        schema: {
          tags,
          summary: 'One action item with its history and the status moves you may make',
          params: dto.actionIdParam,
          response: { 200: dto.actionDetailOutput },
        },
      },
      (request) => service.get(request.ctx, request.params.id),
    );
    app.patch(
      '/action-items/:id',
      {
        ...manage,
        schema: {
          tags,
          summary: 'Edit title, description, priority, assignee or due date',
          params: dto.actionIdParam,
          body: dto.updateActionInput,
          response: { 200: dto.actionDetailOutput },
        },
      },
      (request) => service.update(request.ctx, request.params.id, request.body),
    );
    app.post(
      '/action-items/:id/status',
      {
        ...work,
        schema: {
          tags,
          summary: 'Move an action: open → in_progress → completed, → cancelled, completed → open',
          params: dto.actionIdParam,
          body: dto.transitionActionInput,
          response: { 200: dto.actionDetailOutput },
        },
      },
      (request) => service.transition(request.ctx, request.params.id, request.body),
    );
    app.post(
      '/action-items/:id/comments',
      {
        ...work,
        schema: {
          tags,
          summary: 'Add a comment to the action’s history',
          params: dto.actionIdParam,
          body: dto.commentActionInput,
          response: { 201: dto.actionDetailOutput },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await service.comment(request.ctx, request.params.id, request.body.note)),
    );
  };
}
