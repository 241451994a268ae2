import type { Database } from '../../platform/db/database.ts';
import { createIngestService } from './ingest.service.ts';
import type { QualityPipeline } from './pipeline/index.ts';
import { ingestRoutes, resultRoutes } from './quality.routes.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { registerLimitGraphql } from './limits.graphql.ts';
import { limitRoutes } from './limits.routes.ts';
import { createLimitService } from './limits.service.ts';
import { createResultService } from './results.service.ts';
import { createQualityAnalytics } from './analytics.service.ts';
import { analyticsRoutes } from './analytics.routes.ts';
import { createAlertService } from './alerts.service.ts';
import { createDeadLetterService, deadLetterRoutes } from './dead-letters.ts';
import type { Authenticate } from '../../platform/http/authed-socket.protocol.ts';
import { liveRoutes } from './live.routes.ts';
import { registerQualityGraphql } from './quality.graphql.ts';
import { registerResultGraphql } from './results.graphql.ts';

export { createQualityPipeline, type QualityPipeline } from './pipeline/index.ts';
export { attachQualityAlerts } from './alerts.attach.ts';
export { ensureResultPartitionsAhead } from './partitions.ts';
export type { StoredResult } from './results.writer.ts';
export type { ResultOutput } from './ingest.dto.ts';

/** Quality: test results in (POST /ingest), judged against versioned spec limits, read back and live. */
export function createQualityModule(deps: {
  db: Pick<Database, 'transaction'>;
  pipeline: QualityPipeline;
  /** Identity's authenticator, for GET /ws/live clients that authenticate in their first message. */
  authenticate: Authenticate;
}) {
  const ingest = createIngestService({ db: deps.db, transport: () => deps.pipeline.transport });
  const results = createResultService({ db: deps.db });
  const limits = createLimitService({ db: deps.db });
  const analytics = createQualityAnalytics({ db: deps.db });
  const alerts = createAlertService({ db: deps.db });
  const deadLetters = createDeadLetterService({ db: deps.db, transport: () => deps.pipeline.transport });
  const live = liveRoutes({ live: deps.pipeline.live, authenticate: deps.authenticate });
  return {
    services: { ingest, results, limits, analytics, alerts },
    live: deps.pipeline.live,
    ingestRoutes: ingestRoutes(ingest),
    routes: resultRoutes(results),
    analyticsRoutes: analyticsRoutes({ analytics, alerts }),
    deadLetterRoutes: deadLetterRoutes(deadLetters),
    limitRoutes: limitRoutes(limits),
    registerLimitGraphql: (builder: Builder) => registerLimitGraphql(builder, limits),
    /** GET /ws/live (API processes). */
    liveRoutes: live.register,
    liveClients: live.clients,
    /** The testResults subscription, then the reads, alerts and ingest over the same TestResult type. */
    registerGraphql: (builder: Builder) => {
      const refs = registerQualityGraphql(builder, { live: deps.pipeline.live });
      registerResultGraphql(builder, { ingest, results, analytics, alerts }, refs);
    },
  };
}
