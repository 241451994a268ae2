import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { notificationListInput, notificationOutput } from './notification.dto.ts';
import type { NotificationService } from './notification.service.ts';

const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function notificationRoutes(service: NotificationService) {
  return async function routes(app: HomApp): Promise<void> {
    const common = { config: { access: { permission: 'notification:read' } } } as const;
    app.get(
      '/notifications',
      {
        ...common,
        schema: {
          tags: ['notifications'],
          querystring: notificationListInput,
          response: {
            200: z.object({
              items: z.array(notificationOutput),
              next_cursor: z.string().nullable(),
              unread_count: z.number(),
            }),
          },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );
    app.post(
      '/notifications/:id/read',
      {
        ...common,
        schema: { tags: ['notifications'], params: idParam, response: { 200: notificationOutput } },
      },
      (request) => service.markRead(request.ctx, request.params.id),
    );
    app.post(
      '/notifications/read-all',
      {
        ...common,
        schema: { tags: ['notifications'], response: { 200: z.object({ updated: z.number() }) } },
      },
      (request) => service.markAllRead(request.ctx),
    );
  };
}
