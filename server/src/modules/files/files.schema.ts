import type { ColumnType, Generated } from 'kysely';

export interface AttachmentTable {
  id: Generated<number>;
  site_id: number;
  owner_type: string;
  owner_id: number;
  tag: string | null;
  original_name: string;
  content_type: string;
  size_bytes: number;
  storage_key: string;
  thumbnail_key: string | null;
  width: number | null;
  height: number | null;
  uploaded_by: number | null;
  created_at: ColumnType<Date, never, never>;
  deleted_at: ColumnType<Date | null, never, Date>;
  deleted_by: ColumnType<number | null, never, number | null>;
}

declare module '../../platform/db/tables.ts' {
  interface Tables {
    attachments: AttachmentTable;
  }
}
