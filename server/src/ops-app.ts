import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Database } from './platform/db/database.ts';
import { registerHealth } from './platform/health.ts';
import { registerErrorHandling } from './platform/http/error-handler.ts';
import type { Logger } from './platform/logger.ts';
import { createMetrics, registerMetrics } from './platform/metrics.ts';

/**
 * What a process without the `api` role still answers, so an orchestrator can watch a worker or
 * ingest process: /health/live, /health/ready and /metrics, nothing else.
 */
export async function buildOpsApp(deps: { db: Database; log: Logger }): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, return503OnClosing: true });
  let draining = false;
  app.addHook('onClose', async () => {
    draining = true;
  });
  registerErrorHandling(app);
  registerMetrics(
    app,
    createMetrics(() => ({
      total: deps.db.pool.totalCount,
      idle: deps.db.pool.idleCount,
      waiting: deps.db.pool.waitingCount,
    })),
  );
  registerHealth(app, { ping: () => deps.db.ping(), isDraining: () => draining });
  await app.ready();
  return app;
}
