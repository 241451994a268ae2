import { SYSTEM_SCOPE, type Database } from './platform/db/database.ts';
import type { Logger } from './platform/logger.ts';
import { pruneAttempts } from './modules/identity/index.ts';
import { ensureResultPartitionsAhead } from './modules/quality/index.ts';

export interface Worker {
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

/**
 * Background work of the `worker` role, hourly: old sign-in attempts pruned, test-result partitions
 * created months ahead (ingest also creates a missing one on demand).
 */
export function startWorker(deps: { db: Database; log: Logger }): Worker {
  const log = deps.log.child({ role: 'worker' });
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = deps.db
      .transaction(SYSTEM_SCOPE, (tx) => pruneAttempts(tx))
      .then(() => log.debug('pruned old sign-in attempts'))
      .then(() => ensureResultPartitionsAhead(deps.db))
      .then((partitions) => log.debug({ partitions }, 'test-result partitions ready ahead'))
      .catch((error: unknown) => log.warn({ err: error }, 'housekeeping failed'));
  };
  tick();
  const timer = setInterval(tick, HOUR);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
