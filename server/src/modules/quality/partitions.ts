import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';

/** Months of test_results partitions kept ready ahead of now. */
export const PARTITION_MONTHS_AHEAD = 3;

/** Creates the month partitions of test_results from this month to PARTITION_MONTHS_AHEAD ahead (idempotent). */
export async function ensureResultPartitionsAhead(db: Pick<Database, 'transaction'>): Promise<string[]> {
  return db.transaction(SYSTEM_SCOPE, async (tx) => {
    const result = await sql<{ name: string }>`
      select hom_ensure_test_results_partition(now() + make_interval(months => m)) as name
      from generate_series(0, ${PARTITION_MONTHS_AHEAD}) as m`.execute(tx);
    return result.rows.map((row) => row.name);
  });
}
