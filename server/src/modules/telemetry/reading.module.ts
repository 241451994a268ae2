import type { Database } from '../../platform/db/database.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { Logger } from '../../platform/logger.ts';
import { createNotificationService } from '../actions/index.ts';
import { usersWithPermission } from '../identity/index.ts';
import { createReadingChecks } from './reading.checks.ts';
import { registerReadingGraphql } from './reading.graphql.ts';
import { readingRoutes } from './reading.routes.ts';
import { createReadingService } from './reading.service.ts';
import { checkStaleReadings, type StaleMarker } from './reading.stale.ts';
import { createReadingWriter } from './reading.writer.ts';
import { createThresholdService } from './threshold.service.ts';

/**
 * The readings part of the telemetry module: the writer adapters use (with its threshold and freshness
 * checks), the REST and GraphQL services, and the stale check the worker runs (docs/readings.md).
 */
export function createReadingsPart(deps: { db: Database; log: Logger; signals: StaleMarker }) {
  const { db, signals } = deps;
  const notifications = createNotificationService({ db, findRecipients: usersWithPermission });
  const checks = createReadingChecks({
    db,
    log: deps.log.child({ component: 'reading-checks' }),
    notify: notifications.raise,
    signals,
  });
  const writer = createReadingWriter({ db, log: deps.log, checks });
  const service = createReadingService({ db, writer });
  const thresholds = createThresholdService({ db, onChange: () => checks.forgetLimits() });
  return {
    /** The batch writer (MQTT, OPC-UA, HTTP): `write(rows)` → `{ inserted }`. */
    writer,
    service,
    thresholds,
    /** Resolves when the checks of every stored batch ran (shutdown, tests). */
    idle: () => checks.idle(),
    /** One pass of the stale check over every machine (the worker runs it every 10 s). */
    async checkStale(now: Date = new Date()) {
      const result = await checkStaleReadings(db, now, { signals });
      // This process's writer ends what just opened as soon as readings arrive (others within 5 s).
      if (result.opened > 0) checks.forgetStale();
      return result;
    },
    routes: readingRoutes({ readings: service, thresholds }),
    graphql: (builder: Builder) => registerReadingGraphql(builder, service),
  };
}
