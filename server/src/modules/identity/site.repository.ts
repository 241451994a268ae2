import { sql } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { CreateSiteInput, SiteOutput, UpdateSiteInput } from './identity.dto.ts';

const siteColumns = ['id', 'code', 'name', 'time_zone', 'is_active', 'created_at'] as const;

export function listSites(tx: Tx): Promise<SiteOutput[]> {
  return tx.selectFrom('sites').select(siteColumns).orderBy('code').execute();
}

export function findSite(tx: Tx, id: number): Promise<SiteOutput | undefined> {
  return tx.selectFrom('sites').select(siteColumns).where('id', '=', id).executeTakeFirst();
}

export function findSitesByIds(tx: Tx, ids: readonly number[]): Promise<SiteOutput[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return tx.selectFrom('sites').select(siteColumns).where('id', 'in', ids).orderBy('code').execute();
}

export function insertSite(tx: Tx, input: CreateSiteInput): Promise<SiteOutput> {
  return tx.insertInto('sites').values(input).returning(siteColumns).executeTakeFirstOrThrow();
}

export function updateSiteRow(tx: Tx, id: number, changes: UpdateSiteInput): Promise<SiteOutput | undefined> {
  return tx.updateTable('sites').set(changes).where('id', '=', id).returning(siteColumns).executeTakeFirst();
}

export async function allSiteIds(tx: Tx): Promise<number[]> {
  return (await tx.selectFrom('sites').select('id').execute()).map((row) => row.id);
}

/** Codes are unique across all sites, whoever can see them, so this looks without row-level security's filter. */
export async function siteCodeExists(tx: Tx, code: string): Promise<boolean> {
  const row = await tx
    .selectFrom('sites')
    .select('id')
    .where(sql`lower(code)`, '=', code.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}
