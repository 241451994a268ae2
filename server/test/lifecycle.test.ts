import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { TEST_SECRET } from './constants.ts';
import { withDatabase } from './global-setup.ts';
import { runCli, startHomProcess } from './process.ts';

/**
 * What `npm start` promises on the embedded database, checked on real processes: first start,
 * a second start that keeps the data, SIGTERM that drains and stops PostgreSQL too, and recovery
 * from a crash that left PostgreSQL running.
 */
let dataDir: string;
const admin = { username: 'owner', password: 'first-start-password' };
const env = () => ({
  HOM_DATA_DIR: dataDir,
  HOM_ADMIN_USERNAME: admin.username,
  HOM_ADMIN_PASSWORD: admin.password,
});

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-lifecycle-'));
  await fs.chmod(dataDir, 0o755);
});
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

async function login(url: string, credentials: { username: string; password: string }) {
  const response = await fetch(`${url}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  return { status: response.status, body: (await response.json()) as { access_token: string } };
}

function postgresPid(): number | undefined {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  return existsSync(pidFile)
    ? Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10)
    : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('embedded start and stop', { timeout: 120_000 }, () => {
  it('starts on an empty folder, creates the first admin, and SIGTERM drains and stops PostgreSQL', async () => {
    const hom = await startHomProcess(env());
    expect((await fetch(`${hom.url}/health/ready`)).status).toBe(200);
    const { status, body } = await login(hom.url, admin);
    expect(status).toBe(200);
    const site = await fetch(`${hom.url}/sites`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${body.access_token}` },
      body: JSON.stringify({ code: 'KEEP', name: 'Kept across restarts', time_zone: 'Europe/Warsaw' }),
    });
    expect(site.status).toBe(201);
    const pid = postgresPid();
    expect(pid && alive(pid)).toBe(true);

    // Requests in flight when SIGTERM arrives are answered, then the process exits.
    const seen = (hom.output().match(/"incoming request"/g) ?? []).length;
    const inFlight = Array.from({ length: 4 }, () => login(hom.url, admin));
    while ((hom.output().match(/"incoming request"/g) ?? []).length < seen + 4) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const stoppedAt = Date.now();
    hom.child.kill('SIGTERM');
    const answered = await Promise.all(inFlight);
    expect(answered.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(await hom.exited, hom.output().slice(-3000)).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(alive(pid!)).toBe(false);
  });

  it('keeps the data on a second start and ignores the bootstrap variables once an admin exists', async () => {
    const hom = await startHomProcess({ ...env(), HOM_ADMIN_PASSWORD: 'a-different-password' });
    try {
      expect((await login(hom.url, { ...admin, password: 'a-different-password' })).status).toBe(401);
      const { body } = await login(hom.url, admin);
      const sites = await fetch(`${hom.url}/sites`, {
        headers: { authorization: `Bearer ${body.access_token}` },
      });
      expect(((await sites.json()) as { code: string }[]).map((s) => s.code)).toEqual(['KEEP']);

      // The CLI joins the running HOM's PostgreSQL instead of starting (or stopping) one.
      const cli = await runCli(
        ['admin', 'create', '--username', 'dayshift', '--password-stdin'],
        { HOM_DATA_DIR: dataDir },
        'day-shift-password\n',
      );
      expect(cli.code).toBe(0);
      expect((await login(hom.url, { username: 'dayshift', password: 'day-shift-password' })).status).toBe(
        200,
      );
    } finally {
      hom.child.kill('SIGTERM');
      await hom.exited;
    }
  });

  it('starts after a crash that left PostgreSQL running', async () => {
    const crashed = await startHomProcess(env());
    const orphan = postgresPid()!;
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(alive(orphan)).toBe(true);

    const hom = await startHomProcess(env());
    try {
      expect(alive(orphan)).toBe(false);
      expect((await login(hom.url, admin)).status).toBe(200);
    } finally {
      hom.child.kill('SIGTERM');
      await hom.exited;
    }
  });

  it('starts over a stale postmaster.pid whose process is gone', async () => {
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    await fs.writeFile(pidFile, `999999\n${path.join(dataDir, 'pg')}\n0\n5432\n`);
    const hom = await startHomProcess(env());
    try {
      expect((await login(hom.url, admin)).status).toBe(200);
    } finally {
      hom.child.kill('SIGTERM');
      await hom.exited;
    }
  });

  it('creates another admin from the command line, password from stdin', async () => {
    const result = await runCli(
      ['admin', 'create', '--username', 'nightshift', '--password-stdin'],
      { HOM_DATA_DIR: dataDir },
      'night-shift-password\n',
    );
    expect(result.output).toContain('Admin "nightshift" created');
    expect(result.code).toBe(0);
    const short = await runCli(
      ['admin', 'create', '--username', 'weak', '--password-stdin'],
      { HOM_DATA_DIR: dataDir },
      'short\n',
    );
    expect(short.code).toBe(1);
    expect(short.output).toContain('password: at least 12 characters');

    const hom = await startHomProcess({ HOM_DATA_DIR: dataDir });
    try {
      expect(
        (await login(hom.url, { username: 'nightshift', password: 'night-shift-password' })).status,
      ).toBe(200);
    } finally {
      hom.child.kill('SIGTERM');
      await hom.exited;
    }
  });

  it('refuses to start with a configuration problem and lists every one', async () => {
    await expect(
      startHomProcess(
        { HOM_DATA_DIR: dataDir, PORT: 'eighty', HOM_ADMIN_USERNAME: 'solo', LOG_LEVEL: 'loud' },
        10_000,
      ),
    ).rejects.toThrow(/PORT[\s\S]*LOG_LEVEL[\s\S]*HOM_ADMIN_PASSWORD/);
  });
});

describe('external PostgreSQL', { timeout: 120_000 }, () => {
  it('uses DATABASE_URL and starts no PostgreSQL of its own', async () => {
    const name = `hom_external_${process.pid}`;
    const maintenance = new pg.Client({ connectionString: withDatabase(inject('ownerBaseUrl'), 'postgres') });
    await maintenance.connect();
    await maintenance.query(`create database ${name}`);
    const emptyDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-external-'));
    try {
      const hom = await startHomProcess({
        HOM_DATA_DIR: emptyDir,
        DATABASE_URL: withDatabase(inject('ownerBaseUrl'), name),
        // hom_app is a role of the whole cluster: share the suite's secret so its password stays put.
        HOM_SECRET: TEST_SECRET,
        HOM_ADMIN_USERNAME: admin.username,
        HOM_ADMIN_PASSWORD: admin.password,
      });
      try {
        expect((await login(hom.url, admin)).status).toBe(200);
        expect(existsSync(path.join(emptyDir, 'pg'))).toBe(false);
        expect(hom.output()).toContain('"embedded":false');
      } finally {
        hom.child.kill('SIGTERM');
        expect(await hom.exited, hom.output().slice(-3000)).toBe(0);
      }
    } finally {
      await maintenance.query(`drop database if exists ${name} with (force)`);
      await maintenance.end();
      await fs.rm(emptyDir, { recursive: true, force: true });
    }
  });
});

describe('several processes on one database', { timeout: 120_000 }, () => {
  it('two api processes start at once (one migrates, the other waits), and a worker serves only health', async () => {
    const name = `hom_processes_${process.pid}`;
    const maintenance = new pg.Client({ connectionString: withDatabase(inject('ownerBaseUrl'), 'postgres') });
    await maintenance.connect();
    await maintenance.query(`create database ${name}`);
    const shared = { DATABASE_URL: withDatabase(inject('ownerBaseUrl'), name), HOM_SECRET: TEST_SECRET };
    const started: Awaited<ReturnType<typeof startHomProcess>>[] = [];
    try {
      started.push(
        ...(await Promise.all([
          startHomProcess({
            ...shared,
            HOM_ROLES: 'api',
            HOM_ADMIN_USERNAME: admin.username,
            HOM_ADMIN_PASSWORD: admin.password,
          }),
          startHomProcess({ ...shared, HOM_ROLES: 'api' }),
        ])),
      );
      started.push(await startHomProcess({ ...shared, HOM_ROLES: 'worker' }));
      const [first, second, worker] = started;
      expect((await login(first!.url, admin)).status).toBe(200);
      expect((await login(second!.url, admin)).status).toBe(200);
      expect((await fetch(`${worker!.url}/health/ready`)).status).toBe(200);
      expect((await fetch(`${worker!.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${worker!.url}/auth/login`, { method: 'POST' })).status).toBe(404);
      const applied = started.map((p) => (p.output().match(/"migration applied"/g) ?? []).length);
      expect(applied.filter((n) => n > 0)).toHaveLength(1);
    } finally {
      for (const p of started) p.child.kill('SIGTERM');
      await Promise.all(started.map((p) => p.exited));
      await maintenance.query(`drop database if exists ${name} with (force)`);
      await maintenance.end();
    }
  });
});
