import { sql, type Insertable, type Selectable } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Owner } from './files.dto.ts';
import type { AttachmentTable } from './files.schema.ts';

export type AttachmentRow = Selectable<AttachmentTable>;

export async function insertAttachment(tx: Tx, row: Insertable<AttachmentTable>): Promise<AttachmentRow> {
  return tx.insertInto('attachments').values(row).returningAll().executeTakeFirstOrThrow();
}

/** A live (not removed) attachment visible in the transaction's sites. */
export function findAttachment(tx: Tx, id: number): Promise<AttachmentRow | undefined> {
  return tx
    .selectFrom('attachments')
    .selectAll()
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export function listAttachments(tx: Tx, owner: Owner): Promise<AttachmentRow[]> {
  return tx
    .selectFrom('attachments')
    .selectAll()
    .where('owner_type', '=', owner.owner_type)
    .where('owner_id', '=', owner.owner_id)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Soft delete: the row and the file stay (the audit log points at them); lists stop showing it. */
export async function markRemoved(tx: Tx, id: number, by: number | null): Promise<boolean> {
  const result = await tx
    .updateTable('attachments')
    .set({ deleted_at: sql<Date>`now()`, deleted_by: by })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
