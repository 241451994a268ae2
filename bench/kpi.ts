/**
 * `npm run bench:kpi [-- --machines 500 --years 5 --requests 200 --explain]`: HOM on a plant's real
 * history. Seeds the demo generator scaled to 500 machines × 5 years (about a million stops) into a fresh
 * embedded PostgreSQL, starts HOM against it as a child process, and measures one request at a time
 * (latency, not throughput) the KPI query of a line over a year and the downtime and repair list pages,
 * beside GET /health/live as the machine's noise floor. A missed goal is reported (with the query plan),
 * never an exit code: benchmarks are not tests. See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { seedDemo } from '../server/src/demo/seed.ts';
import { appUrlFrom } from '../server/src/platform/db/database.ts';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../server/src/platform/db/embedded.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { freePort } from '../server/src/platform/net.ts';
import { startChild, waitForOk, type Child } from './children.ts';
import { login, type Session } from './hom.ts';
import { explain, explainWork, keyLines, type Explained } from './kpi-explain.ts';
import { measure, readPlant, table, targetsFor, type Measured } from './kpi-measure.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_FILE = path.join(ROOT, 'bench/results/kpi.json');

const { values: flags } = parseArgs({
  options: {
    machines: { type: 'string', default: '500' },
    years: { type: 'string', default: '5' },
    sites: { type: 'string', default: '2' },
    'lines-per-site': { type: 'string', default: '10' },
    requests: { type: 'string', default: '200' },
    warmup: { type: 'string', default: '20' },
    seed: { type: 'string', default: '20260101' },
    explain: { type: 'boolean', default: false },
  },
});
const plantOptions = {
  seed: Number(flags.seed),
  sites: Number(flags.sites),
  linesPerSite: Number(flags['lines-per-site']),
  machines: Number(flags.machines),
  years: Number(flags.years),
  end: new Date(),
};
const requests = Number(flags.requests);
const warmup = Number(flags.warmup);

const log = createLogger('warn');
let dataDir: string | undefined;
let postgres: EmbeddedPostgres | undefined;
let hom: Child | undefined;

async function cleanup(): Promise<void> {
  await hom?.stop(15_000);
  await postgres?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}

process.once('SIGINT', () => {
  console.error('\ninterrupted: stopping HOM and PostgreSQL');
  void cleanup().finally(() => process.exit(130));
});

const started = Date.now();
try {
  await main();
} catch (error) {
  console.error(`\nbench aborted: ${(error as Error).message}`);
  if (hom?.tail()) console.error(`--- last output of HOM ---\n${hom.tail()}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

async function main(): Promise<void> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hom-bench-kpi-'));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as the system user "postgres" when we are root
  postgres = await startEmbeddedPostgres(dataDir, log);
  const ownerUrl = postgres.url;
  const secret = randomBytes(48).toString('base64url');
  await migrate({ ownerUrl, secret, log });

  console.log(
    `seeding ${plantOptions.machines} machines × ${plantOptions.years} years (seed ${plantOptions.seed}) …`,
  );
  let mark = Date.now();
  const counts = await seedDemo({ ownerUrl, log, plant: plantOptions });
  const seedSeconds = (Date.now() - mark) / 1000;
  console.log(`seeded in ${seedSeconds.toFixed(1)} s: ${JSON.stringify(counts)}`);
  mark = Date.now();
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  await owner.query('analyze');
  const size = (await owner.query<{ size: string }>(`select pg_size_pretty(pg_database_size('hom')) as size`))
    .rows[0]?.size;
  await owner.end();
  const analyzeSeconds = (Date.now() - mark) / 1000;
  console.log(`ANALYZE in ${analyzeSeconds.toFixed(1)} s; database size ${size}`);

  const adminPassword = randomBytes(15).toString('base64url');
  const port = await freePort();
  hom = startChild(
    'HOM',
    ['server/src/main.ts'],
    {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(port),
      HOM_DATA_DIR: dataDir,
      DATABASE_URL: ownerUrl,
      DATABASE_APP_URL: '',
      HOM_SECRET: secret,
      HOM_ADMIN_USERNAME: 'bench',
      HOM_ADMIN_PASSWORD: adminPassword,
      HOM_ROLES: 'api',
      HOM_DEMO: 'false',
      LOG_LEVEL: 'warn',
    },
    ROOT,
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForOk(`${baseUrl}/health/ready`, hom, 90_000);

  let session: Session = await login(baseUrl, 'bench', adminPassword);
  const token = async () => {
    if (session.expiresAt - Date.now() < 60_000) session = await login(baseUrl, 'bench', adminPassword);
    return session.accessToken;
  };
  const plant = await readPlant(ownerUrl);
  const now = plantOptions.end;
  const results: Measured[] = [];
  console.log(`measuring: ${warmup} warm-up then ${requests} sequential requests per target`);
  for (const target of targetsFor(plant, now)) {
    results.push(await measure(baseUrl, target, token, { requests, warmup }));
    console.log(`  ${target.name}: p95 ${results.at(-1)!.p95} ms`);
  }
  console.log(`\n${table(results)}`);

  const plans: Explained[] = [];
  const work = explainWork(plant, now);
  const appUrl = appUrlFrom(ownerUrl, secret);
  for (const result of results) {
    const run = work[result.name];
    if (!run || !(flags.explain || result.met === false)) continue;
    for (const explained of await explain(appUrl, result.name, run)) {
      plans.push(explained);
      console.log(`\nEXPLAIN (ANALYZE, BUFFERS) — ${result.name}\n${keyLines(explained.plan).join('\n')}`);
    }
  }

  await mkdir(path.dirname(RESULTS_FILE), { recursive: true });
  await writeFile(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        generatedAt: new Date().toISOString(),
        command: 'npm run bench:kpi',
        machine: {
          nproc: os.availableParallelism(),
          cpu: os.cpus()[0]?.model,
          memoryGiB: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
          os: `${os.type()} ${os.release()} ${os.arch()}`,
        },
        plant: { ...plantOptions, counts, seedSeconds, analyzeSeconds, databaseSize: size },
        options: { requests, warmup, sequential: true },
        results,
        plans,
        elapsedSeconds: (Date.now() - started) / 1000,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nresults: ${path.relative(ROOT, RESULTS_FILE)} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`,
  );
}
