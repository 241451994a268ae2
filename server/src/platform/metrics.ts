import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  dbQueries: Counter;
}

export function createMetrics(readDbPool: () => { total: number; idle: number; waiting: number }): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'hom' });
  collectDefaultMetrics({ register: registry });
  const pool = {
    total: 'connections open',
    idle: 'idle connections',
    waiting: 'requests waiting for a connection',
  };
  for (const [key, help] of Object.entries(pool) as [keyof typeof pool, string][]) {
    new Gauge({
      name: `hom_db_pool_${key}`,
      help: `Database pool: ${help}`,
      registers: [registry],
      collect() {
        this.set(readDbPool()[key]);
      },
    });
  }
  return {
    registry,
    httpDuration: new Histogram({
      name: 'hom_http_request_duration_seconds',
      help: 'HTTP request duration by route',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    dbQueries: new Counter({
      name: 'hom_db_queries_total',
      help: 'SQL statements sent',
      registers: [registry],
    }),
  };
}

export function registerMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
