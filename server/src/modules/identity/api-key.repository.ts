import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { ApiKeyOutput } from './identity.dto.ts';

const columns = [
  'id',
  'site_id',
  'name',
  'prefix',
  'created_by',
  'created_at',
  'last_used_at',
  'revoked_at',
] as const;

export function listApiKeys(tx: Tx): Promise<ApiKeyOutput[]> {
  return tx.selectFrom('api_keys').select(columns).orderBy('created_at', 'desc').execute();
}

export function findApiKey(tx: Tx, id: number): Promise<ApiKeyOutput | undefined> {
  return tx.selectFrom('api_keys').select(columns).where('id', '=', id).executeTakeFirst();
}

export function insertApiKey(
  tx: Tx,
  key: { site_id: number; name: string; prefix: string; key_hash: Buffer; created_by: number | null },
): Promise<ApiKeyOutput> {
  return tx.insertInto('api_keys').values(key).returning(columns).executeTakeFirstOrThrow();
}

export function revokeApiKeyRow(tx: Tx, id: number): Promise<ApiKeyOutput | undefined> {
  return tx
    .updateTable('api_keys')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', id)
    .returning(columns)
    .executeTakeFirst();
}

export function findKeyForAuthentication(tx: Tx, prefix: string) {
  return tx
    .selectFrom('api_keys')
    .innerJoin('sites', 'sites.id', 'api_keys.site_id')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.site_id',
      'api_keys.key_hash',
      'api_keys.role',
      'api_keys.revoked_at',
      'api_keys.last_used_at',
      'sites.is_active as site_active',
    ])
    .where('api_keys.prefix', '=', prefix)
    .executeTakeFirst();
}

export async function touchApiKey(tx: Tx, id: number): Promise<void> {
  await tx.updateTable('api_keys').set({ last_used_at: new Date() }).where('id', '=', id).execute();
}
