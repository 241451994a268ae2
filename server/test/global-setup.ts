import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { migrate } from '../src/platform/db/migrate.ts';
import { createLogger } from '../src/platform/logger.ts';
import { TEST_SECRET } from './constants.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerBaseUrl: string;
    templateDatabase: string;
    postgresVersion: string;
  }
}

/**
 * One PostgreSQL for the whole run: the external server when TEST_DATABASE_URL is set (CI runs
 * both), else an embedded one in a temporary folder. Migrations run once into a template database;
 * every test file gets a fresh copy of it (see harness.ts).
 */
export default async function setup(project: TestProject) {
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let base = process.env.TEST_DATABASE_URL;
  if (!base) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-test-'));
    await fs.chmod(dataDir, 0o755);
    embedded = await startEmbeddedPostgres(dataDir, log);
    base = embedded.url;
  }
  const template = `hom_template_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const version =
    (await admin.query<{ server_version: string }>('show server_version')).rows[0]?.server_version ?? '?';
  await migrate({ ownerUrl: withDatabase(base, template), secret: TEST_SECRET, log });

  project.provide('ownerBaseUrl', base);
  project.provide('templateDatabase', template);
  project.provide('postgresVersion', version);

  return async () => {
    const leftovers = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1 or datname = $2`,
      [`${template}_%`, template],
    );
    for (const { datname } of leftovers.rows)
      await admin.query(`drop database if exists ${datname} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
