import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { shiftCalendarInput, shiftCalendarOutput } from './calendar.dto.ts';
import type { CalendarService } from './calendar.service.ts';

const siteParam = z.object({ site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

export function calendarRoutes(calendars: CalendarService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/sites/:site_id/shift-calendar',
      {
        config: { access: { permission: 'plant:read' } },
        schema: { tags: ['plant'], params: siteParam, response: { 200: shiftCalendarOutput } },
      },
      (request) => calendars.get(request.ctx, request.params.site_id),
    );
    app.put(
      '/sites/:site_id/shift-calendar',
      {
        config: { access: { permission: 'catalog:manage' } },
        schema: {
          tags: ['plant'],
          summary: 'Replace the site’s shifts; an empty list means around the clock',
          params: siteParam,
          body: shiftCalendarInput,
          response: { 200: shiftCalendarOutput },
        },
      },
      (request) => calendars.set(request.ctx, request.params.site_id, request.body),
    );
  };
}
