import { api } from '../../lib/api.ts';

export interface AuditEntry {
  id: number;
  at: string;
  actor_user_id: number | null;
  actor_username: string | null;
  action: string;
  entity: string;
  entity_id: string | number | null;
  site_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export interface AuditPage {
  items: AuditEntry[];
  next_cursor: string | null;
}

export interface AuditFilter {
  entity: string;
  action: string;
  actorUserId: string;
  /** datetime-local values, in the reader's zone */
  from: string;
  to: string;
}

export const emptyAuditFilter: AuditFilter = { entity: '', action: '', actorUserId: '', from: '', to: '' };

export const auditKeys = { list: (filter: AuditFilter) => ['audit', filter] as const };

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function fetchAuditPage(filter: AuditFilter, cursor: string | null) {
  return api.get<AuditPage>('/audit', {
    entity: filter.entity.trim(),
    action: filter.action.trim(),
    actor_user_id: filter.actorUserId,
    from: toIso(filter.from),
    to: toIso(filter.to),
    cursor,
    limit: 50,
  });
}
