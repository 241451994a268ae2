import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { snakeCase } from '../../platform/graphql/input.ts';
import { parseInput } from '../../platform/validation.ts';
import { auditFilterInput, type AuditEntry } from './audit.dto.ts';
import type { AuditService } from './audit.service.ts';

export function registerAuditGraphql(builder: Builder, audit: AuditService): void {
  const AuditEntryRef = builder.objectRef<AuditEntry>('AuditEntry').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      at: t.field({ type: 'DateTime', resolve: (entry) => entry.at }),
      actorUserId: t.id({ nullable: true, resolve: (entry) => entry.actor_user_id }),
      actorUsername: t.string({ resolve: (entry) => entry.actor_username }),
      action: t.exposeString('action'),
      entity: t.exposeString('entity'),
      entityId: t.string({ resolve: (entry) => entry.entity_id }),
      siteId: t.id({ nullable: true, resolve: (entry) => entry.site_id }),
      before: t.field({ type: 'JSON', nullable: true, resolve: (entry) => entry.before }),
      after: t.field({ type: 'JSON', nullable: true, resolve: (entry) => entry.after }),
      requestId: t.string({ nullable: true, resolve: (entry) => entry.request_id }),
    }),
  });
  const AuditPage = builder
    .objectRef<{ items: AuditEntry[]; next_cursor: string | null }>('AuditPage')
    .implement({
      fields: (t) => ({
        items: t.field({ type: [AuditEntryRef], resolve: (page) => page.items }),
        nextCursor: t.string({ nullable: true, resolve: (page) => page.next_cursor }),
      }),
    });
  const AuditFilter = builder.inputType('AuditFilter', {
    fields: (t) => ({
      entity: t.string(),
      entityId: t.string(),
      action: t.string(),
      actorUserId: t.id(),
      siteId: t.id(),
      from: t.field({ type: 'DateTime' }),
      to: t.field({ type: 'DateTime' }),
    }),
  });
  builder.queryFields((t) => ({
    auditLog: t.field({
      type: AuditPage,
      args: { filter: t.arg({ type: AuditFilter }), first: t.arg.int(), after: t.arg.string() },
      ...withAccess(
        { permission: 'audit:read' },
        (
          _p,
          args: { filter?: Record<string, unknown> | null; first?: number | null; after?: string | null },
          c,
        ) =>
          audit.list(
            c.caller,
            parseInput(auditFilterInput, {
              ...snakeCase(args.filter ?? {}, { dropNulls: true }),
              ...(args.first != null ? { limit: args.first } : {}),
              ...(args.after != null ? { cursor: args.after } : {}),
            }),
          ),
      ),
    }),
  }));
}
