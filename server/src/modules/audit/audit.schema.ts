import type { ColumnType, Generated } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_user_id: number | null;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string;
  site_id: number | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
  request_id: string | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    audit_log: AuditLogTable;
  }
}
