import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';
import { ensurePartitionsAhead } from './reading.repository.ts';

/** Months of machine_readings partitions kept ready ahead of now. */
export const READING_PARTITION_MONTHS_AHEAD = 3;

/** Creates the month partitions of machine_readings from this month to 3 months ahead (idempotent). */
export function ensureReadingPartitionsAhead(db: Pick<Database, 'transaction'>): Promise<string[]> {
  return db.transaction(SYSTEM_SCOPE, (tx) => ensurePartitionsAhead(tx, READING_PARTITION_MONTHS_AHEAD));
}
