import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { createNotificationService } from '../actions/index.ts';
import { usersWithPermission } from '../identity/index.ts';
import { createReadingChecks, type ReadingChecks } from './reading.checks.ts';
import * as repository from './reading.repository.ts';
import { readingStaleMarker } from './reading.stale.ts';
import type { ReadingRow, StoredPair } from './reading.types.ts';

/** Month partitions this process knows exist (the function is idempotent; this saves the round trip). */
const knownMonths = new Set<number>();

/** A UTC month as one number (year × 12 + month): cheaper per row than formatting a date. */
const monthOf = (at: Date) => at.getUTCFullYear() * 12 + at.getUTCMonth();

async function ensurePartitions(tx: Tx, rows: readonly ReadingRow[]): Promise<void> {
  const missing = new Map<number, Date>();
  for (const row of rows) {
    const month = monthOf(row.recorded_at);
    if (!knownMonths.has(month) && !missing.has(month)) missing.set(month, row.recorded_at);
  }
  for (const [month, at] of missing) {
    await repository.ensurePartition(tx, at);
    knownMonths.add(month);
  }
}

/** PostgreSQL's answer to a row no partition holds (23514, "no partition of relation … found for row"). */
function isMissingPartition(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === '23514' && typeof message === 'string' && message.includes('no partition');
}

const isDeadlock = (error: unknown) => (error as { code?: unknown }).code === '40P01';

/** Told what each committed batch stored (threshold checks, stale periods ending). */
export type AfterReadings = Pick<ReadingChecks, 'onStored'>;

/** The checks a writer runs when none are given: alerts notify in the app (admins, managers, technicians). */
function defaultChecks(db: Database, log: Logger): ReadingChecks {
  const notifications = createNotificationService({ db, findRecipients: usersWithPermission });
  return createReadingChecks({ db, log, notify: notifications.raise, signals: readingStaleMarker() });
}

/**
 * Stores machine readings in batches: one statement per batch (unnest → insert … on conflict do
 * nothing → the per-minute and per-hour rollups of the rows actually stored), so re-delivered readings
 * are stored and counted once. A month without a partition gets one on demand. After each commit the
 * checks look at what was stored (thresholds → alerts, stale periods ending), at most once a second.
 */
export function createReadingWriter(deps: {
  db: Database;
  log: Logger;
  /** Threshold and freshness checks after each commit (default: their own, notifying in the app). */
  checks?: AfterReadings;
}) {
  const log = deps.log.child({ component: 'reading-writer' });
  const checks = deps.checks ?? defaultChecks(deps.db, log);

  /** Stores a batch in the caller's transaction; answers what was stored per machine and type. */
  async function writeIn(tx: Tx, rows: readonly ReadingRow[]): Promise<StoredPair[]> {
    if (rows.length === 0) return [];
    await ensurePartitions(tx, rows);
    return repository.insertBatch(tx, rows);
  }

  async function attempt(rows: readonly ReadingRow[]): Promise<StoredPair[]> {
    return deps.db.transaction(SYSTEM_SCOPE, (tx) => writeIn(tx, rows));
  }

  return {
    writeIn,

    /**
     * Stores a batch in its own transaction; resolves after the commit with how many readings were
     * new. A partition dropped behind this process's back, or a deadlock with another writer on the
     * same rollup buckets, is retried once.
     */
    async write(rows: readonly ReadingRow[]): Promise<{ inserted: number }> {
      if (rows.length === 0) return { inserted: 0 };
      let pairs: StoredPair[];
      try {
        pairs = await attempt(rows);
      } catch (error) {
        if (isMissingPartition(error)) {
          log.warn('a readings partition was missing; creating it and retrying the batch');
          knownMonths.clear();
        } else if (!isDeadlock(error)) {
          throw error;
        }
        pairs = await attempt(rows);
      }
      checks.onStored(pairs);
      return { inserted: pairs.reduce((sum, pair) => sum + pair.n, 0) };
    },

    /** Tells the checks about a batch stored through writeIn, once its transaction committed. */
    committed(pairs: readonly StoredPair[]): void {
      checks.onStored(pairs);
    },
  };
}
export type ReadingWriter = ReturnType<typeof createReadingWriter>;
