import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type HomServer } from './app.ts';
import type { Config } from './config.ts';
import { seedDemo } from './demo/seed.ts';
import { appUrlFrom, createDatabase, type Database } from './platform/db/database.ts';
import { embeddedSecret, startEmbeddedPostgres, type EmbeddedPostgres } from './platform/db/embedded.ts';
import { migrate } from './platform/db/migrate.ts';
import { attachQualityAlerts, createQualityPipeline } from './modules/quality/index.ts';
import type { Logger } from './platform/logger.ts';
import { startIngestAdapters, type IngestAdapters } from './ingest-adapters.ts';
import { buildOpsApp } from './ops-app.ts';
import { startWorker, type Worker } from './worker.ts';

export interface RunningHom {
  url: string;
  server: HomServer | undefined;
  db: Database;
  /** Drains in-flight requests (new ones get 503), then stops the worker, the pool and embedded PostgreSQL. */
  close(): Promise<void>;
}

/** Everything `npm start` does after reading the configuration. */
export async function startHom(config: Config, log: Logger): Promise<RunningHom> {
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = config.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres(config.dataDir, log.child({ component: 'embedded-postgres' }), {
      avoidPorts: [config.port],
    });
    ownerUrl = embedded.url;
  }
  try {
    const secret = config.secret ?? (await fallbackSecret(config, log));
    await migrate({ ownerUrl, secret: config.databaseAppUrl ? undefined : secret, log });
    // Fills the demo plant only while the database has no site; logs what it wrote.
    if (config.demo) await seedDemo({ ownerUrl, log: log.child({ component: 'demo' }) });
    const db = createDatabase(
      config.databaseAppUrl ?? appUrlFrom(ownerUrl, secret),
      config.databasePoolSize,
      log,
    );

    const pipeline = createQualityPipeline({
      db,
      log,
      amqpUrl: config.amqpUrl,
      prefetch: config.ingestPrefetch,
      roles: config.roles,
    });
    const alerts = attachQualityAlerts(pipeline, { db, log });
    let server: HomServer | undefined;
    let app: FastifyInstance;
    const opcuaPkiDir = path.join(config.dataDir, 'opcua-pki');
    if (config.roles.includes('api') || config.roles.includes('ingest')) {
      server = await buildApp({ config, secret, db, log, pipeline, roles: config.roles, opcuaPkiDir });
      app = server.app;
      // An ingest-only process serves POST /ingest, health and metrics; accounts are the API's business.
      if (config.roles.includes('api')) await bootstrapAdmin(config, server, log);
    } else {
      app = await buildOpsApp({ db, log });
    }
    const url = await app.listen({ host: config.host, port: config.port });
    const worker: Worker | undefined = config.roles.includes('worker')
      ? startWorker({ db, log, mail: { smtpUrl: config.smtpUrl, from: config.smtpFrom } })
      : undefined;
    // OPC-UA subscriptions and the MQTT client, in one ingest process at a time (docs/connectivity.md).
    const adapters: IngestAdapters | undefined =
      server && config.roles.includes('ingest')
        ? startIngestAdapters({ db, log, server, secret, pkiDir: opcuaPkiDir, mqtt: config.mqtt })
        : undefined;
    log.info({ url, roles: config.roles, embedded: Boolean(embedded) }, 'HOM started');

    return {
      url,
      server,
      db,
      async close() {
        server?.drain();
        // Requests still running after the grace period are cut so the process exits in time.
        const cut = setTimeout(
          () => app.server.closeAllConnections(),
          Math.max(0, config.shutdownTimeoutMs - 1000),
        );
        await app.close();
        clearTimeout(cut);
        await worker?.stop();
        // Before the pipeline and the pool: MQTT batches being written commit and are acknowledged.
        await adapters?.stop();
        // Reading alert checks started by the adapters' last batches finish before the pool closes.
        await server?.modules.telemetry.readings.idle();
        await pipeline.close();
        await alerts.idle();
        await db.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

async function fallbackSecret(config: Config, log: Logger): Promise<string> {
  if (!config.databaseUrl) return embeddedSecret(config.dataDir);
  log.warn(
    'HOM_SECRET is not set: using a random one; tokens end when this process stops and processes cannot share them',
  );
  const { randomBytes } = await import('node:crypto');
  return randomBytes(48).toString('base64url');
}

async function bootstrapAdmin(config: Config, server: HomServer, log: Logger): Promise<void> {
  const accounts = server.modules.identity.services.accounts;
  if (config.bootstrapAdmin) await accounts.createAdmin(config.bootstrapAdmin, { onlyIfNone: true, log });
  else if (!(await accounts.hasAdmin())) {
    log.warn(
      'no admin exists yet: run `npm run hom -- admin create` (works while HOM runs) or set HOM_ADMIN_USERNAME and HOM_ADMIN_PASSWORD',
    );
  }
}
