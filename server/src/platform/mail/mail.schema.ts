import type { ColumnType, Generated } from 'kysely';

export interface MailOutboxTable {
  id: Generated<number>;
  to_addresses: string[];
  subject: string;
  text_body: string;
  html_body: string | null;
  /** JSON text on insert: `[{filename, content_type, content_base64}]`. */
  attachments: ColumnType<StoredAttachment[], string, never>;
  created_at: Generated<Date>;
  next_attempt_at: Generated<Date>;
  attempts: Generated<number>;
  last_error: string | null;
  last_attempt_at: Date | null;
  sent_at: Date | null;
  message_id: string | null;
  gave_up_at: Date | null;
}

export interface StoredAttachment {
  filename: string;
  content_type: string;
  content_base64: string;
}

declare module '../db/tables.ts' {
  interface Tables {
    mail_outbox: MailOutboxTable;
  }
}
