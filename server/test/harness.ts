import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type HomServer } from '../src/app.ts';
import { appUrlFrom, createDatabase, type Database } from '../src/platform/db/database.ts';
import { createLogger } from '../src/platform/logger.ts';
import { ADMIN, TEST_SECRET } from './constants.ts';
import { withDatabase } from './global-setup.ts';

export interface Harness {
  app: FastifyInstance;
  server: HomServer;
  db: Database;
  /** Connects as the owner of the test database (bypasses nothing but the app role's limits). */
  ownerUrl: string;
  databaseName: string;
  adminToken: string;
  request(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  login(username: string, password: string): Promise<{ access_token: string; refresh_token: string }>;
  close(): Promise<void>;
}

/** A fresh database copied from the migrated template, an app on it, and a signed-in admin. */
export async function createHarness(
  options: { production?: boolean; config?: Partial<Parameters<typeof buildApp>[0]['config']> } = {},
): Promise<Harness> {
  const base = inject('ownerBaseUrl');
  const template = inject('templateDatabase');
  const databaseName = `${template}_${randomBytes(4).toString('hex')}`;
  const maintenance = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await maintenance.connect();
  await maintenance.query(`create database ${databaseName} template ${template}`);
  await maintenance.end();

  const ownerUrl = withDatabase(base, databaseName);
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const db = createDatabase(appUrlFrom(ownerUrl, TEST_SECRET), 5, log);
  const server = await buildApp({
    config: {
      production: options.production ?? false,
      bodyLimitBytes: 1_048_576,
      trustProxy: false,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      webDist: path.resolve('web/dist'),
      filesDir: path.join(os.tmpdir(), `hom-test-files-${databaseName}`),
      ...options.config,
    },
    secret: TEST_SECRET,
    db,
    log,
  });
  await server.app.ready();
  await server.modules.identity.services.accounts.createAdmin(ADMIN, { onlyIfNone: true, log });

  const request: Harness['request'] = ({ token, headers, ...rest }) =>
    server.app.inject({
      ...rest,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
  const login: Harness['login'] = async (username, password) => {
    const response = await request({ method: 'POST', url: '/auth/login', payload: { username, password } });
    if (response.statusCode !== 200) throw new Error(`login ${username} failed: ${response.body}`);
    return response.json();
  };
  const adminToken = (await login(ADMIN.username, ADMIN.password)).access_token;

  return {
    app: server.app,
    server,
    db,
    ownerUrl,
    databaseName,
    adminToken,
    request,
    login,
    async close() {
      await server.app.close();
      await db.close();
      const cleanup = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${databaseName} with (force)`);
      await cleanup.end();
      await fs.rm(path.join(os.tmpdir(), `hom-test-files-${databaseName}`), { recursive: true, force: true });
    },
  };
}
