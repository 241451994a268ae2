import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withDatabase } from '../../../test/global-setup.ts';
import { createLogger } from '../logger.ts';
import { MIGRATIONS_DIR, migrate } from './migrate.ts';

const log = createLogger('silent');
const base = inject('ownerBaseUrl');
const name = `hom_migrate_${process.pid}_${Date.now()}`;
const url = withDatabase(base, name);

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(base, 'postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

beforeAll(() => admin((c) => c.query(`create database ${name}`)));
afterAll(() => admin((c) => c.query(`drop database if exists ${name} with (force)`)));

describe('migrate', () => {
  it('lets two processes start at once: one applies every file, the other waits and finds nothing to do', async () => {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((file) => file.endsWith('.sql')).sort();
    const [first, second] = await Promise.all([
      migrate({ ownerUrl: url, log }),
      migrate({ ownerUrl: url, log }),
    ]);
    expect([...first!, ...second!].sort()).toEqual(files);
    expect(Math.min(first!.length, second!.length)).toBe(0);
    const rows = await admin(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const result = await client.query<{ name: string }>('select name from hom_migrations order by name');
      await client.end();
      return result.rows.map((row) => row.name);
    });
    expect(rows).toEqual(files);
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-migrations-'));
    for (const file of await fs.readdir(MIGRATIONS_DIR)) {
      const text = await fs.readFile(path.join(MIGRATIONS_DIR, file), 'utf8');
      await fs.writeFile(path.join(dir, file), file.startsWith('0001') ? `${text}\n-- edited\n` : text);
    }
    await expect(migrate({ ownerUrl: url, log, dir })).rejects.toThrow(
      /0001_platform.sql was changed after it was applied/,
    );
    await fs.rm(dir, { recursive: true, force: true });
  });
});
