import type { ColumnType, Generated } from 'kysely';

export interface NotificationTable {
  id: Generated<number>;
  user_id: number;
  site_id: number | null;
  kind: string;
  title: string;
  body: string | null;
  link: string | null;
  data: ColumnType<unknown, string | null, never>;
  created_at: Generated<Date>;
  read_at: Date | null;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    notifications: NotificationTable;
  }
}
