import type { AuthedContext, RequestContext } from '../../platform/auth/actor.ts';
import { requirePermission, scopeOf } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import type { AuditFilter } from './audit.dto.ts';
import { insertAuditEntry, listAuditEntries } from './audit.repository.ts';

export interface AuditChange {
  action: string;
  entity: string;
  entityId: number | string;
  siteId?: number | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEYS = new Set(['password', 'password_hash', 'key_hash', 'token_hash', 'key']);

/** Writes one audit row in the caller's transaction, so the change and its record commit together. */
export async function recordChange(tx: Tx, ctx: AuthedContext, change: AuditChange): Promise<void> {
  await insertAuditEntry(tx, {
    actor_user_id: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    actor_label: ctx.actor.kind === 'api_key' ? `key:${ctx.actor.name}` : ctx.actor.name,
    action: change.action,
    entity: change.entity,
    entity_id: String(change.entityId),
    site_id: change.siteId ?? null,
    before: redact(change.before),
    after: redact(change.after),
    request_id: ctx.requestId,
  });
}

export function createAuditService(deps: { db: Pick<Database, 'transaction'> }) {
  return {
    async list(request: RequestContext, filter: AuditFilter) {
      const ctx = requirePermission(request, 'audit:read');
      const rows = await deps.db.transaction(scopeOf(ctx), (tx) => listAuditEntries(tx, filter));
      return pageOf(rows, filter.limit, (row) => ({ at: row.at.toISOString(), id: row.id }));
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;

function redact(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([key]) => !SECRET_KEYS.has(key))
      .map(([key, field]) => [key, field instanceof Buffer ? undefined : field]),
  );
}
