import type { Database } from '../../platform/db/database.ts';
import type { HomApp } from '../../platform/http/types.ts';
import type { Logger } from '../../platform/logger.ts';
import { createReadingWriter } from './reading.writer.ts';
import type { SignalRecorder } from './signals.service.ts';

/** The readings part of the telemetry module: the writer adapters use, its checks, services and routes. */
export function createReadingsPart(deps: {
  db: Database;
  log: Logger;
  signals: Pick<SignalRecorder, 'markStale' | 'markFresh'>;
}) {
  const writer = createReadingWriter({ db: deps.db, log: deps.log });
  const routes = async (_app: HomApp): Promise<void> => {};
  return { writer, routes };
}
