import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { auditEntryOutput, auditFilterInput } from './audit.dto.ts';
import type { AuditService } from './audit.service.ts';

export function auditRoutes(audit: AuditService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/audit',
      {
        config: { access: { permission: 'audit:read' } },
        schema: {
          tags: ['audit'],
          summary: 'Browse the append-only change log, newest first',
          querystring: auditFilterInput,
          response: {
            200: z.object({ items: z.array(auditEntryOutput), next_cursor: z.string().nullable() }),
          },
        },
      },
      (request) => audit.list(request.ctx, request.query),
    );
  };
}
