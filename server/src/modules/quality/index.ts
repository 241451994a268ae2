import type { Database } from '../../platform/db/database.ts';
import { createIngestService } from './ingest.service.ts';
import type { QualityPipeline } from './pipeline/index.ts';
import { ingestRoutes, resultRoutes } from './quality.routes.ts';
import { createResultService } from './results.service.ts';

export { createQualityPipeline, type QualityPipeline } from './pipeline/index.ts';
export type { StoredResult } from './results.writer.ts';
export type { ResultOutput } from './ingest.dto.ts';

/** Quality: test results in (POST /ingest), judged against versioned spec limits, read back and live. */
export function createQualityModule(deps: { db: Pick<Database, 'transaction'>; pipeline: QualityPipeline }) {
  const ingest = createIngestService({ db: deps.db, transport: () => deps.pipeline.transport });
  const results = createResultService({ db: deps.db });
  return {
    services: { ingest, results },
    live: deps.pipeline.live,
    ingestRoutes: ingestRoutes(ingest),
    routes: resultRoutes(results),
  };
}
