import type { Tx } from '../../platform/db/database.ts';
import * as sessions from './session.repository.ts';

/** Sign-in attempts older than the longest throttle memory (30 days of known addresses) go. */
export function pruneAttempts(tx: Tx): Promise<void> {
  return sessions.pruneAttempts(tx);
}
