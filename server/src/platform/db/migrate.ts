import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { APP_ROLE, appRolePassword } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../migrations/', import.meta.url));
const LOCK_KEY = 7_240_001; // one advisory lock for every HOM process migrating this database

export interface MigrateOptions {
  ownerUrl: string;
  /** When set, the app role's password is kept in step with HOM's secret. */
  secret?: string;
  log: Logger;
  dir?: string;
}

/**
 * Applies committed SQL migrations in order, each in its own transaction, as the database owner.
 * Two processes starting at once serialise on an advisory lock; the second finds nothing to do.
 * An applied file that was edited afterwards stops the start: migrations are append-only.
 */
export async function migrate({
  ownerUrl,
  secret,
  log,
  dir = MIGRATIONS_DIR,
}: MigrateOptions): Promise<string[]> {
  const files = (await fs.readdir(dir)).filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name)).sort();
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create table if not exists hom_migrations (
      name text primary key, checksum text not null, applied_at timestamptz not null default now())`);
    const done = new Map(
      (
        await client.query<{ name: string; checksum: string }>('select name, checksum from hom_migrations')
      ).rows.map((row) => [row.name, row.checksum]),
    );
    for (const name of files) {
      const text = await fs.readFile(path.join(dir, name), 'utf8');
      const checksum = createHash('sha256').update(text).digest('hex');
      const previous = done.get(name);
      if (previous !== undefined) {
        if (previous !== checksum) throw new Error(`Migration ${name} was changed after it was applied`);
        continue;
      }
      await client.query('begin');
      try {
        await client.query(text);
        await client.query('insert into hom_migrations (name, checksum) values ($1, $2)', [name, checksum]);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
      }
      applied.push(name);
      log.info({ migration: name }, 'migration applied');
    }
    if (secret !== undefined) await ensureAppRoleLogin(client, ownerUrl, secret);
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
  return applied;
}

/** Gives the app role the password derived from HOM's secret, unless it already signs in with it. */
async function ensureAppRoleLogin(owner: pg.Client, ownerUrl: string, secret: string): Promise<void> {
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = appRolePassword(secret);
  const probe = new pg.Client({ connectionString: url.toString() });
  try {
    await probe.connect();
    return;
  } catch {
    // falls through: the role cannot sign in yet
  } finally {
    await probe.end().catch(() => undefined);
  }
  const password = appRolePassword(secret).replaceAll("'", "''");
  for (let attempt = 1; ; attempt += 1) {
    try {
      await owner.query(`alter role ${APP_ROLE} login password '${password}'`);
      return;
    } catch (error) {
      // Two databases of one cluster migrating at once may race on the shared role.
      if (attempt >= 5 || !/concurrently updated/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}
