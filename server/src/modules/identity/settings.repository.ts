import type { Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';

export async function readSetting(db: Kysely<Tables>, key: string): Promise<unknown> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function writeSetting(
  tx: Tx,
  key: string,
  value: unknown,
  userId: number | null,
): Promise<void> {
  await tx
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_by: userId })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: JSON.stringify(value), updated_by: userId, updated_at: new Date() }),
    )
    .execute();
}
