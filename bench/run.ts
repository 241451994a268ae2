/**
 * `npm run bench [-- --rounds 3 --duration 5 --profile]`: HOM's REST get-by-id and the same data
 * through GraphQL against a bare Fastify hello-world, in the same run, alternating, on loopback.
 * Prints req/s and latency per round, then medians and the ratios against the goals. A missed goal
 * is reported, never an exit code: benchmarks are not tests. See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon, { type Instance, type Options } from 'autocannon';
import { freePort } from '../server/src/platform/net.ts';
import { startChild, waitForOk, type Child } from './children.ts';
import { checkGraphql, createFixture, login, userQuery, type Session } from './hom.ts';
import {
  roundTable,
  sampleOf,
  summarise,
  summaryText,
  writeResults,
  type Sample,
  type TargetName,
} from './report.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const RESULTS_FILE = path.join(ROOT, 'bench/results/latest.json');
const CONNECTIONS = 50;
const PIPELINING = 1;
const WARMUP_SECONDS = 2;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(flags.rounds, '--rounds');
const duration = positiveInteger(flags.duration, '--duration');

const children: Child[] = [];
let running: Instance | undefined;
let dataDir: string | undefined;
let interrupted = false;
let cleaning: Promise<void> | undefined;

function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    running?.stop();
    await Promise.all(children.map((child) => child.stop(15_000)));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  })();
  return cleaning;
}

process.once('SIGINT', () => {
  interrupted = true;
  console.error('\ninterrupted: stopping the servers');
  void cleanup().finally(() => process.exit(130));
});

const started = Date.now();
try {
  await main();
} catch (error) {
  if (!interrupted) {
    console.error(`\nbench aborted: ${(error as Error).message}`);
    for (const child of children) {
      if (child.tail()) console.error(`--- last output of ${child.name} ---\n${child.tail()}`);
    }
    process.exitCode = 1;
  }
} finally {
  await cleanup();
}

async function main(): Promise<void> {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hom-bench-'));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as the system user "postgres" when we are root

  const hello = startChild('hello-world', ['bench/hello-world.ts'], { ...process.env, PORT: '0' }, ROOT);
  children.push(hello);
  const adminPassword = randomBytes(15).toString('base64url'); // 20 characters
  const homPort = await freePort();
  const nodeArgs = flags.profile ? ['--cpu-prof', '--cpu-prof-dir=bench/results/profile'] : [];
  const hom = startChild(
    'HOM',
    [...nodeArgs, 'server/src/main.ts'],
    {
      ...process.env,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(homPort),
      HOM_DATA_DIR: dataDir,
      HOM_ADMIN_USERNAME: 'bench',
      HOM_ADMIN_PASSWORD: adminPassword,
      HOM_ROLES: 'api',
      LOG_LEVEL: 'warn',
      // Set (empty) so that a developer's .env cannot point the benchmark at a real database.
      DATABASE_URL: '',
      DATABASE_APP_URL: '',
      HOM_SECRET: '',
    },
    ROOT,
  );
  children.push(hom);

  const helloUrl = String((await hello.jsonLine('url', 15_000)).url);
  const homUrl = `http://127.0.0.1:${homPort}`;
  await waitForOk(`${homUrl}/health/ready`, hom, 90_000);
  console.log(
    `hello-world on ${helloUrl}, HOM on ${homUrl} (ready after ${seconds(Date.now() - started)} s)`,
  );

  let session = await login(homUrl, 'bench', adminPassword);
  const fixture = await createFixture(homUrl, session, randomBytes(15).toString('base64url'));
  await checkGraphql(homUrl, session, fixture);
  const freshSession = async (): Promise<Session> => {
    // Access tokens live 15 minutes by default: sign in again before one could end mid-measurement.
    if (session.expiresAt - Date.now() < (duration + 60) * 1000)
      session = await login(homUrl, 'bench', adminPassword);
    return session;
  };

  const graphqlBody = JSON.stringify({ query: userQuery(fixture.userId) });
  const targets: Record<TargetName, () => Promise<Options>> = {
    'hello-world': async () => ({ url: `${helloUrl}/` }),
    rest: async () => ({
      url: `${homUrl}/auth/users/${fixture.userId}`,
      headers: { authorization: `Bearer ${(await freshSession()).accessToken}` },
    }),
    graphql: async () => ({
      url: `${homUrl}/graphql`,
      method: 'POST',
      body: graphqlBody,
      headers: {
        authorization: `Bearer ${(await freshSession()).accessToken}`,
        'content-type': 'application/json',
      },
    }),
  };
  const names = Object.keys(targets) as TargetName[];

  console.log(`warm-up: ${WARMUP_SECONDS} s per target`);
  for (const name of names) await measure(name, await targets[name](), WARMUP_SECONDS);

  const samples: Sample[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Alternate, and rotate the order each round so that no target always runs first or last.
    const order = names.map((_, index) => names[(index + round - 1) % names.length]!);
    const roundSamples: Sample[] = [];
    for (const name of order) {
      roundSamples.push(sampleOf(round, name, await measure(name, await targets[name](), duration)));
    }
    roundSamples.sort((a, b) => names.indexOf(a.target) - names.indexOf(b.target));
    samples.push(...roundSamples);
    console.log(roundTable(round, roundSamples));
  }

  const summary = summarise(samples);
  console.log(`\n${summaryText(summary, rounds)}`);
  await writeResults(RESULTS_FILE, {
    generatedAt: new Date().toISOString(),
    command: 'npm run bench',
    machine: {
      nproc: os.availableParallelism(),
      cpu: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
    },
    options: {
      rounds,
      durationSeconds: duration,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      pipelining: PIPELINING,
    },
    targets: {
      'hello-world': 'GET / on a bare Fastify 5 (bench/hello-world.ts)',
      rest: 'GET /auth/users/:user_id with a bearer token',
      graphql: `POST /graphql ${userQuery(fixture.userId)} with a bearer token`,
    },
    samples,
    summary,
    elapsedSeconds: Number(seconds(Date.now() - started)),
  });
  console.log(`results: ${path.relative(ROOT, RESULTS_FILE)} (${seconds(Date.now() - started)} s in all)`);
}

async function measure(name: TargetName, options: Options, seconds: number) {
  running = autocannon({
    ...options,
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
    title: name,
  });
  const result = await running;
  running = undefined;
  if (interrupted) throw new Error('interrupted');
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0 || result.requests.total === 0) {
    throw new Error(
      `${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts ` +
        `out of ${result.requests.total} (status codes: ${JSON.stringify(result.statusCodeStats)})`,
    );
  }
  return result;
}

function positiveInteger(value: string, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`${flag} must be a positive integer, got "${value}"`);
    process.exit(2);
  }
  return parsed;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
