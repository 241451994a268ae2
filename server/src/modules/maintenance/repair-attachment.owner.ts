import type { Tx } from '../../platform/db/database.ts';
import type {} from './maintenance.schema.ts';

/**
 * The site of a repair as the caller's transaction sees it (row-level security applies), or null when
 * there is no such repair or it is on a site the caller is not a member of. The files module asks this
 * before it attaches a photo or document to a repair (wired in modules.ts).
 */
export async function repairSiteOf(tx: Tx, repairId: number): Promise<number | null> {
  const row = await tx.selectFrom('repairs').select('site_id').where('id', '=', repairId).executeTakeFirst();
  return row?.site_id ?? null;
}
