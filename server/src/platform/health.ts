import type { FastifyInstance } from 'fastify';

/** Liveness says the process answers; readiness says it can do its job (the database answers). */
export function registerHealth(
  app: FastifyInstance,
  deps: { ping(): Promise<void>; isDraining(): boolean },
): void {
  app.get('/health/live', { config: { access: 'public' }, schema: { tags: ['health'] } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/health/ready',
    { config: { access: 'public' }, schema: { tags: ['health'] } },
    async (request, reply) => {
      if (deps.isDraining()) return reply.status(503).send({ status: 'draining' });
      const started = performance.now();
      try {
        await deps.ping();
        return {
          status: 'ready',
          checks: { database: { status: 'up', ms: Math.round(performance.now() - started) } },
        };
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database unreachable');
        return reply.status(503).send({ status: 'unavailable', checks: { database: { status: 'down' } } });
      }
    },
  );
}
