import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';
import type { PmEvaluator } from './pm.evaluator.ts';
import * as plans from './pm.repository.ts';

/** How often the worker re-evaluates PM plans against the clock. */
export const PM_CHECK_INTERVAL_MS = 3_600_000;
const BATCH = 200;

/**
 * The periodic PM check (worker role, hourly; a test calls it with its own clock). Day plans move
 * with the clock, and an overdue plan escalates once a day even when its tool stands still. Plans are
 * taken in batches, each in its own transaction with its rows locked (`skip locked`), and what a plan
 * has told is recorded on it: several workers running this at once tell nothing twice.
 */
export async function runPmChecks(
  deps: { db: Pick<Database, 'transaction'>; evaluator: PmEvaluator },
  now: Date = new Date(),
): Promise<{ evaluated: number }> {
  let after = 0;
  let evaluated = 0;
  for (;;) {
    const ids = await deps.db.transaction(SYSTEM_SCOPE, (tx) => plans.periodicPlanIdsAfter(tx, after, BATCH));
    if (ids.length === 0) break;
    evaluated += await deps.db.transaction(SYSTEM_SCOPE, (tx) =>
      deps.evaluator.evaluatePlansSkipLocked(tx, ids, now),
    );
    after = ids.at(-1)!;
    if (ids.length < BATCH) break;
  }
  return { evaluated };
}
