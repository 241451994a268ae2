import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config, ProcessRole } from './config.ts';
import { attachQualityAlerts, createQualityPipeline, type QualityPipeline } from './modules/quality/index.ts';
import type { Database } from './platform/db/database.ts';
import { createBuilder } from './platform/graphql/builder.ts';
import { registerGraphql } from './platform/graphql/plugin.ts';
import { registerHealth } from './platform/health.ts';
import { registerAccessGuard, type RouteAccess } from './platform/http/access.ts';
import { registerBodyParsers } from './platform/http/body.ts';
import { handleFrameworkError, registerErrorHandling } from './platform/http/error-handler.ts';
import { registerWebApp } from './platform/http/web.ts';
import { listen } from './platform/db/listen.ts';
import { notificationTopic } from './modules/actions/index.ts';
import type { Logger } from './platform/logger.ts';
import { createMetrics, registerMetrics, type Metrics } from './platform/metrics.ts';
import { createModules } from './modules.ts';

export interface AppDeps {
  config: Pick<
    Config,
    | 'production'
    | 'bodyLimitBytes'
    | 'trustProxy'
    | 'accessTokenTtlSeconds'
    | 'refreshTokenTtlDays'
    | 'webDist'
    | 'filesDir'
  > &
    Partial<Pick<Config, 's3'>>;
  secret: string;
  db: Database;
  log: Logger;
  /** The ingest pipeline of this process (server.ts builds it for the roles asked); in-process when left out. */
  pipeline?: QualityPipeline;
  /** `api` serves everything; `ingest` alone serves POST /ingest (and health, metrics). Default both. */
  roles?: readonly ProcessRole[];
  /** HOM's OPC-UA client certificate store (docs/opcua.md); a temporary folder when left out. */
  opcuaPkiDir?: string;
}

export interface HomServer {
  app: FastifyInstance;
  modules: ReturnType<typeof createModules>;
  routes: RouteAccess[];
  /** This process's Prometheus registry (/metrics): adapters started beside the app add theirs. */
  metrics: Metrics;
  /** Stops answering new requests with anything but 503, then closes (see main.ts). */
  drain(): void;
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/** Platform plugins → modules → error handler. Everything a process needs to answer HTTP and GraphQL. */
export async function buildApp(deps: AppDeps): Promise<HomServer> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: deps.config.bodyLimitBytes,
    trustProxy: deps.config.trustProxy,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    requestIdHeader: false,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { coerceTypes: false } },
    // Errors raised while routing (bad percent-encoding, over-long parameters) get the same body.
    frameworkErrors: handleFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  let draining = false;
  const routes: RouteAccess[] = [];
  const metrics = createMetrics(() => ({
    total: deps.db.pool.totalCount,
    idle: deps.db.pool.idleCount,
    waiting: deps.db.pool.waitingCount,
  }));
  const roles = deps.roles ?? ['api', 'ingest'];
  const ownPipeline = deps.pipeline
    ? undefined
    : createQualityPipeline({ db: deps.db, log: deps.log, roles });
  const pipeline = deps.pipeline ?? ownPipeline;
  if (!pipeline) throw new Error('unreachable: a pipeline is always there');
  if (ownPipeline) {
    const alerts = attachQualityAlerts(ownPipeline, { db: deps.db, log: deps.log });
    app.addHook('onClose', async () => {
      await ownPipeline.close();
      await alerts.idle();
    });
  }
  const modules = createModules({
    db: deps.db,
    secret: deps.secret,
    config: deps.config,
    pipeline,
    log: deps.log,
    ...(deps.opcuaPkiDir ? { opcuaPkiDir: deps.opcuaPkiDir } : {}),
  });
  // Reading alert checks still running (after batches already committed) finish before the pool closes.
  app.addHook('onClose', () => modules.telemetry.readings.idle());
  const serveApi = roles.includes('api');

  // One WebSocket server for GET /ws/live and GraphQL subscriptions: Mercurius registers
  // @fastify/websocket only when none is there, and routes see it only when it is registered here.
  // Before the hooks: its onRequest marks upgrades, so an upgrade refused by a later hook is cut.
  if (serveApi) {
    await app.register(fastifyWebsocket, { options: { maxPayload: 1_048_576 }, preClose: closeWebSockets });
    new Gauge({
      name: 'hom_live_clients',
      help: 'Clients receiving live test results on GET /ws/live',
      registers: [metrics.registry],
      collect() {
        this.set(modules.liveClients());
      },
    });
  }

  registerErrorHandling(app);
  await registerBodyParsers(app);
  registerAccessGuard(app, routes);
  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    request.ctx = {
      actor: null,
      requestId: String(request.id),
      clientIp: request.ip,
      userAgent: request.headers['user-agent'],
    };
    const authorization = request.headers.authorization;
    const apiKey = request.headers['x-api-key'];
    if (authorization !== undefined || apiKey !== undefined) {
      request.ctx.actor = await modules.identity.authenticate({
        authorization,
        apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
      });
    }
  });
  // While draining, every answer closes its connection so keep-alive clients move to another process.
  app.addHook('onSend', async (_request, reply) => {
    if (draining) void reply.header('connection', 'close');
  });
  registerMetrics(app, metrics);
  registerHealth(app, { ping: () => deps.db.ping(), isDraining: () => draining });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'HOM API',
        version: '0.1.0',
        description:
          'History of Machines: REST API. Errors: {success:false, message, error_code, timestamp, errors?, request_id}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    // Module routes carry zod schemas; GraphQL's and the platform's carry plain JSON schema.
    transform: (input) =>
      usesZod(input.schema) ? jsonSchemaTransform(input) : { schema: input.schema, url: input.url },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Module routes speak zod; GraphQL and the platform routes keep Fastify's own JSON-schema compilers.
  await app.register(async (scope) => {
    scope.setValidatorCompiler(validatorCompiler);
    scope.setSerializerCompiler(serializerCompiler);
    if (serveApi) for (const routes of modules.routes) await scope.register(routes);
    if (roles.includes('ingest')) await scope.register(modules.ingestRoutes);
  });

  if (serveApi) await registerApi(app, deps, modules);

  return {
    app,
    modules,
    routes,
    metrics,
    drain: () => {
      draining = true;
    },
  };
}

/** On close every WebSocket hears 1001 (going away) and may reconnect to another process. */
function closeWebSockets(this: FastifyInstance, done: () => void): void {
  for (const client of this.websocketServer.clients) {
    client.close(1001, 'server shutting down');
    // One that does not answer the close (stalled, gone) must not hold up the shutdown.
    setTimeout(() => client.terminate(), 1_000).unref();
  }
  this.websocketServer.close();
  done();
}

function usesZod(schema: object | undefined): boolean {
  if (!schema) return false;
  const parts = Object.values(schema as Record<string, unknown>);
  const response = (schema as { response?: Record<string, unknown> }).response;
  return [...parts, ...Object.values(response ?? {})].some(
    (part) => typeof part === 'object' && part !== null && '_zod' in part,
  );
}

/** GraphQL, the web app and live notifications: what only the `api` role serves. */
async function registerApi(app: FastifyInstance, deps: AppDeps, modules: ReturnType<typeof createModules>) {
  const builder = createBuilder();
  for (const register of modules.graphql) register(builder);
  await registerGraphql(app, {
    schema: builder.toSchema(),
    production: deps.config.production,
    log: deps.log,
    authenticate: (credentials) => modules.identity.authenticate(credentials),
  });
  await registerWebApp(app, deps.config.webDist);

  // Live notifications: every API process hears every commit and pushes to its own subscribers.
  const notifications = listen(
    deps.db.pool,
    'hom_notification',
    (payload) => {
      const event = JSON.parse(payload) as { id: number; user_id: number };
      void app.graphql.pubsub.publish({ topic: notificationTopic(event.user_id), payload: { id: event.id } });
    },
    deps.log,
  );
  app.addHook('onClose', () => notifications.close());
}
