// Brings this module's tables into the Kysely `Tables` interface for every program that uses this file.
import type {} from './audit.schema.ts';
import type { Tx } from '../../platform/db/database.ts';
import type { AuditEntry, AuditFilter } from './audit.dto.ts';

export function insertAuditEntry(tx: Tx, entry: Omit<AuditEntry, 'id' | 'at' | 'actor_username'>) {
  return tx
    .insertInto('audit_log')
    .values({
      actor_user_id: entry.actor_user_id,
      actor_label: entry.actor_label,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entity_id,
      site_id: entry.site_id,
      before: entry.before === null ? null : JSON.stringify(entry.before),
      after: entry.after === null ? null : JSON.stringify(entry.after),
      request_id: entry.request_id,
    })
    .execute();
}

export async function listAuditEntries(tx: Tx, filter: AuditFilter): Promise<AuditEntry[]> {
  let query = tx
    .selectFrom('audit_log')
    .select([
      'id',
      'at',
      'actor_user_id',
      'actor_label as actor_username',
      'actor_label',
      'action',
      'entity',
      'entity_id',
      'site_id',
      'before',
      'after',
      'request_id',
    ])
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.entity) query = query.where('entity', '=', filter.entity);
  if (filter.entity_id) query = query.where('entity_id', '=', filter.entity_id);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actor_user_id) query = query.where('actor_user_id', '=', filter.actor_user_id);
  if (filter.site_id) query = query.where('site_id', '=', filter.site_id);
  if (filter.from) query = query.where('at', '>=', filter.from);
  if (filter.to) query = query.where('at', '<', filter.to);
  if (filter.cursor) {
    const { at, id } = filter.cursor;
    query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  return (await query.execute()) as AuditEntry[];
}

/** Changes of one record, newest first, in the caller's transaction (row-level security applies). */
export function entityChanges(
  tx: Tx,
  entity: string,
  entityId: string,
  before: Date | undefined,
  limit: number,
) {
  let query = tx
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_label', 'action', 'before', 'after'])
    .where('entity', '=', entity)
    .where('entity_id', '=', entityId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit);
  if (before) query = query.where('at', '<', before);
  return query.execute();
}
