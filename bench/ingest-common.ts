/**
 * What the ingest benchmarks share: a fresh embedded PostgreSQL, HOM as child processes, a small plant
 * (one site, machines, spec limits, a station API key), generated test results in the stations' format
 * and as table rows, statistics and tables. See docs/performance.md ("Ingest").
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { startEmbeddedPostgres } from '../server/src/platform/db/embedded.ts';
import { migrate } from '../server/src/platform/db/migrate.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import { freePort } from '../server/src/platform/net.ts';
import { startChild, waitForOk } from './children.ts';
import { login, type Session } from './hom.ts';
import { writeResults } from './report.ts';

export const ROOT = path.resolve(import.meta.dirname, '..');
export { writeResults };

/** A child process the cleanup stops, whose last output an error report shows. */
export interface Stoppable {
  name: string;
  tail(): string;
  stop(graceMs: number): Promise<void>;
}

/** Work to undo at the end, last registered first; runs once whatever happens (error, Ctrl-C). */
export class Cleanup {
  private readonly tasks: { name: string; run: () => Promise<unknown> }[] = [];
  private running: Promise<void> | undefined;
  readonly children: Stoppable[] = [];

  add(name: string, run: () => Promise<unknown>): void {
    this.tasks.push({ name, run });
  }

  child<C extends Stoppable>(child: C, graceMs = 15_000): C {
    this.children.push(child);
    this.add(child.name, () => child.stop(graceMs));
    return child;
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      for (const task of [...this.tasks].reverse()) {
        try {
          await task.run();
        } catch (error) {
          console.error(`cleanup: ${task.name} failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/** Runs a benchmark's `main`, then its cleanup; Ctrl-C and errors still clean up. */
export async function runBench(name: string, main: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup = new Cleanup();
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    console.error(`\n${name} interrupted: cleaning up`);
    void cleanup.run().finally(() => process.exit(130));
  });
  process.once('SIGTERM', () => {
    interrupted = true;
    void cleanup.run().finally(() => process.exit(143));
  });
  const load = () =>
    os
      .loadavg()
      .map((value) => value.toFixed(2))
      .join(', ');
  // Other work on the machine moves every figure: say how busy it was.
  console.log(`${name}: load average ${load()} at the start (${os.availableParallelism()} CPUs)`);
  try {
    await main(cleanup);
    console.log(`${name}: load average ${load()} at the end`);
  } catch (error) {
    if (!interrupted) {
      console.error(`\n${name} aborted: ${(error as Error).stack ?? String(error)}`);
      for (const child of cleanup.children) {
        if (child.tail()) console.error(`--- last output of ${child.name} ---\n${child.tail()}`);
      }
      process.exitCode = 1;
    }
  } finally {
    if (!interrupted) await cleanup.run();
  }
}

export interface BenchDatabase {
  dataDir: string;
  ownerUrl: string;
  secret: string;
}

/**
 * A fresh embedded PostgreSQL (HOM's own, in a temporary folder deleted at the end), migrated. Not the
 * machine's shared cluster: the app role `hom_app` is cluster-wide and its password follows HOM_SECRET,
 * so migrating a database there with another secret would lock out everyone else using that cluster.
 */
export async function startDatabase(
  cleanup: Cleanup,
  prefix: string,
  options: { statements?: boolean } = {},
): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `hom-bench-${prefix}-`));
  cleanup.add('data folder', () => rm(dataDir, { recursive: true, force: true }));
  await chmod(dataDir, 0o755); // the embedded PostgreSQL runs as the system user "postgres" when we are root
  const log = createLogger('warn');
  let postgres = await startEmbeddedPostgres(dataDir, log);
  cleanup.add('embedded PostgreSQL', () => postgres.stop());
  if (options.statements) {
    // pg_stat_statements must be loaded at start: set it, then start the cluster again.
    await ownerQuery(postgres.url, `alter system set shared_preload_libraries = 'pg_stat_statements'`);
    await postgres.stop();
    postgres = await startEmbeddedPostgres(dataDir, log);
    await ownerQuery(postgres.url, 'create extension pg_stat_statements');
  }
  const secret = randomBytes(48).toString('base64url');
  await migrate({ ownerUrl: postgres.url, secret, log });
  return { dataDir, ownerUrl: postgres.url, secret };
}

async function ownerQuery<R extends pg.QueryResultRow>(ownerUrl: string, text: string): Promise<R[]> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    return (await owner.query<R>(text)).rows;
  } finally {
    await owner.end();
  }
}

export interface StatementCount {
  calls: number;
  /** Execution time, ms. */
  ms: number;
  query: string;
}

export interface Statements {
  /** Statements PostgreSQL ran (the simple query `begin; select set_config(…)` counts 2). */
  calls: number;
  top: StatementCount[];
}

/**
 * What PostgreSQL ran during a measurement (needs `startDatabase(…, { statements: true })`):
 * `const done = await statementMeter(url); …; const statements = await done()`.
 */
export async function statementMeter(ownerUrl: string): Promise<() => Promise<Statements>> {
  await ownerQuery(ownerUrl, 'select pg_stat_statements_reset()');
  return async () => {
    const rows = await ownerQuery<{ calls: string; ms: number; query: string }>(
      ownerUrl,
      `select calls, total_exec_time as ms, regexp_replace(query, '\\s+', ' ', 'g') as query
       from pg_stat_statements where query not like '%pg_stat_statements%'
       order by calls desc`,
    );
    const top = rows.map((row) => ({ calls: Number(row.calls), ms: row.ms, query: row.query }));
    return { calls: top.reduce((sum, row) => sum + row.calls, 0), top };
  };
}

/** Statements per result, the most frequent first. */
export function statementsText(statements: Statements, results: number, lines = 8): string {
  const per = (n: number) => fmt(n / results, 3);
  return [
    `  ${per(statements.calls)} statements per result; the most frequent:`,
    table(
      ['per result', 'ms in all', 'statement'],
      statements.top
        .slice(0, lines)
        .map((row) => [per(row.calls), fmt(row.ms), row.query.slice(0, 100)] as (string | number)[]),
    ),
  ].join('\n');
}

export interface HomProcess {
  child: Stoppable;
  url: string;
  pid: number | undefined;
}

export const ADMIN_USERNAME = 'bench';

/** `node server/src/main.ts` as `npm start` runs it (production, LOG_LEVEL=warn) on the bench database. */
export async function startHom(
  cleanup: Cleanup,
  database: BenchDatabase,
  options: {
    name: string;
    roles: string;
    adminPassword?: string;
    env?: Record<string, string>;
    profile?: boolean;
    /** Another checkout of HOM to run instead of this one (a before/after comparison), with node_modules. */
    root?: string;
  },
): Promise<HomProcess> {
  const port = await freePort();
  const nodeArgs = options.profile
    ? ['--cpu-prof', `--cpu-prof-dir=${path.join(ROOT, 'bench/results/profile')}`]
    : [];
  const child = cleanup.child(
    startChild(
      options.name,
      [...nodeArgs, 'server/src/main.ts'],
      {
        ...process.env,
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(port),
        HOM_DATA_DIR: database.dataDir,
        DATABASE_URL: database.ownerUrl,
        DATABASE_APP_URL: '',
        HOM_SECRET: database.secret,
        HOM_ROLES: options.roles,
        HOM_DEMO: 'false',
        LOG_LEVEL: 'warn',
        AMQP_URL: '',
        HOM_ADMIN_USERNAME: options.adminPassword ? ADMIN_USERNAME : '',
        HOM_ADMIN_PASSWORD: options.adminPassword ?? '',
        ...options.env,
      },
      options.root ? path.resolve(options.root) : ROOT,
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  await waitForOk(`${url}/health/ready`, child, 90_000);
  return { child, url, pid: child.process.pid };
}

export const TIME_ZONE = 'Europe/Berlin';
export const PRODUCTS = ['PRD-100', 'PRD-200', 'PRD-300', 'PRD-400'];
export const STEPS = [
  'voltage_test',
  'current_test',
  'leak_test',
  'torque_check',
  'resistance',
  'insulation',
  'end_of_line',
  'visual_check',
];
const LOWER = 80;
const UPPER = 90;

export interface Machine {
  id: number;
  code: string;
}

export interface Plant {
  siteId: number;
  machines: Machine[];
  /** A station API key of the site (role with ingest:write). */
  apiKey: string;
  /** `${product}\u0000${step}` → the spec limit's id (one version, 80..90 V, since 2020). */
  limitIds: Map<string, number>;
  adminPassword: string;
  session: Session;
}

async function post<T>(baseUrl: string, route: string, body: unknown, token: string): Promise<T> {
  const response = await fetch(new URL(route, baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${route} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** One site, one line, `machines` machines, a station API key (over REST), spec limits (as the owner). */
export async function createPlant(
  homUrl: string,
  database: BenchDatabase,
  adminPassword: string,
  machineCount = 20,
): Promise<Plant> {
  const session = await login(homUrl, ADMIN_USERNAME, adminPassword);
  const token = session.accessToken;
  const site = await post<{ id: number }>(
    homUrl,
    '/sites',
    { code: 'BENCH', name: 'Benchmark plant', time_zone: TIME_ZONE },
    token,
  );
  const line = await post<{ id: number }>(
    homUrl,
    '/lines',
    { site_id: site.id, code: 'BL-1', name: 'Benchmark line' },
    token,
  );
  const machines: Machine[] = [];
  for (let i = 1; i <= machineCount; i += 1) {
    const code = `BM-${String(i).padStart(2, '0')}`;
    const machine = await post<{ id: number }>(
      homUrl,
      '/machines',
      { line_id: line.id, code, name: `Test station ${i}` },
      token,
    );
    machines.push({ id: machine.id, code });
  }
  const key = await post<{ key: string }>(
    homUrl,
    '/api-keys',
    { site_id: site.id, name: 'bench station' },
    token,
  );
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  const limitIds = new Map<string, number>();
  try {
    for (const product of PRODUCTS) {
      for (const step of STEPS) {
        const { rows } = await owner.query<{ id: string }>(
          `insert into spec_limits (site_id, product_code, test_step, lower_limit, upper_limit, unit, effective_from)
           values ($1, $2, $3, $4, $5, 'V', '2020-01-01T00:00:00Z') returning id`,
          [site.id, product, step, LOWER, UPPER],
        );
        limitIds.set(`${product}\u0000${step}`, Number(rows[0]!.id));
      }
    }
    await owner.query('analyze');
  } finally {
    await owner.end();
  }
  return { siteId: site.id, machines, apiKey: key.key, limitIds, adminPassword, session };
}

/** One generated test result: what the station sends, and what HOM stores for it. */
export interface GeneratedResult {
  machine: Machine;
  barcode: string;
  product: string;
  step: string;
  value: number;
  /** The station's timestamp: local time of the site, no offset (as in the example). */
  local: string;
  /** The instant HOM stores (UTC ISO 8601). */
  instant: string;
}

/**
 * Result number `i` of a tag, for any `i`: barcode `${tag}-${i}` (unique per tag, so nothing is a
 * duplicate), measured in the hour before the generator was made, read in the site's time zone; 98%
 * PASS, the FAILs spread so that no machine and step fails twice in a row (no quality alert is raised).
 */
export function resultGenerator(plant: Plant, tag: string): (i: number) => GeneratedResult {
  // Stay inside one UTC offset (no DST change in the window) so local ↔ instant is one addition.
  const end = Date.now() - 60_000;
  const start = end - 3_600_000;
  const offsetStart = DateTime.fromMillis(start, { zone: TIME_ZONE }).offset;
  const offsetEnd = DateTime.fromMillis(end, { zone: TIME_ZONE }).offset;
  if (offsetStart !== offsetEnd)
    throw new Error('a DST change in the last hour: run the benchmark again later');
  const offsetMs = offsetStart * 60_000;
  return (i) => {
    const ms = start + ((i * 7919) % 3_600_000);
    return {
      machine: plant.machines[i % plant.machines.length]!,
      barcode: `${tag}-${i}`,
      product: PRODUCTS[Math.floor(i / 7) % PRODUCTS.length]!,
      step: STEPS[i % STEPS.length]!,
      // Results cycle through 40 machine × step pairs; each pair's k-th result is outside the 80..90
      // limits once in 50 (k ≡ pair mod 50): a 98% pass rate per pair, never two FAILs in a row.
      value: Math.floor(i / 40) % 50 === i % 40 ? 90.5 + (i % 7) / 10 : 81 + ((i * 37) % 800) / 100,
      local: new Date(ms + offsetMs).toISOString().slice(0, 23),
      instant: new Date(ms).toISOString(),
    };
  };
}

/** `count` results of `resultGenerator(plant, tag)`, numbers `offset` to `offset + count - 1`. */
export function generateResults(plant: Plant, tag: string, count: number, offset = 0): GeneratedResult[] {
  const next = resultGenerator(plant, tag);
  return Array.from({ length: count }, (_, n) => next(n + offset));
}

/** The body item POST /ingest takes. */
export function stationItem(result: GeneratedResult) {
  return {
    barcode: result.barcode,
    machine_id: result.machine.code,
    product_id: result.product,
    test_step: result.step,
    measured_value: result.value,
    timestamp: result.local,
    unit: 'V',
  };
}

/** The row the ingest service hands to the pipeline (and the AMQP message carries). */
export function pipelineRow(plant: Plant, result: GeneratedResult) {
  return {
    site_id: plant.siteId,
    machine_id: result.machine.id,
    machine_code: result.machine.code,
    barcode: result.barcode,
    product_code: result.product,
    test_step: result.step,
    measured_value: result.value,
    unit: 'V',
    measured_at: result.instant,
  };
}

export const TABLE_COLUMNS =
  'site_id, machine_id, barcode, product_code, test_step, measured_value, unit, measured_at, verdict, limit_id, lower_limit, upper_limit';

/** The values HOM stores for a result, judged here (every product × step has the one 80..90 limit). */
export function tableValues(plant: Plant, result: GeneratedResult): (string | number)[] {
  const verdict = result.value >= LOWER && result.value <= UPPER ? 'PASS' : 'FAIL';
  const limitId = plant.limitIds.get(`${result.product}\u0000${result.step}`)!;
  return [
    plant.siteId,
    result.machine.id,
    result.barcode,
    result.product,
    result.step,
    result.value,
    'V',
    result.instant,
    verdict,
    limitId,
    LOWER,
    UPPER,
  ];
}

/** `COPY … FROM STDIN` text format (no value here needs escaping: codes and barcodes are checked). */
export function copyText(plant: Plant, results: readonly GeneratedResult[]): string {
  let text = '';
  for (const result of results) text += `${tableValues(plant, result).join('\t')}\n`;
  return text;
}

/** Empties test_results (every partition) and waits for nothing else: each measurement starts equal. */
export async function truncateResults(ownerUrl: string): Promise<void> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('truncate test_results');
    await owner.query('checkpoint');
  } finally {
    await owner.end();
  }
}

export async function countResults(ownerUrl: string, like?: string): Promise<number> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = like
      ? await owner.query<{ n: number }>(
          'select count(*)::int as n from test_results where barcode like $1',
          [like],
        )
      : await owner.query<{ n: number }>('select count(*)::int as n from test_results');
    return rows[0]!.n;
  } finally {
    await owner.end();
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function fmt(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return String(value);
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A plain-text table; columns after the first are right-aligned. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map(String))];
  const widths = headers.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length)));
  return cells
    .map((row) =>
      row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '),
    )
    .map((line) => `  ${line}`)
    .join('\n');
}

export function verdict(meets: boolean): string {
  return meets ? 'meets goal' : 'BELOW GOAL';
}

export function machineInfo() {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

export function positiveInteger(value: string | undefined, flag: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    console.error(`${flag} must be a positive integer, got "${value}"`);
    process.exit(2);
  }
  return parsed;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A helper child process (a bench script) spoken to over IPC. */
export interface IpcChild extends Stoppable {
  process: ChildProcess;
  send(message: unknown): void;
  /** The next message (from now on) that `accept` takes; fails after `timeoutMs` or if the child exits. */
  next<T>(accept: (message: T) => boolean, timeoutMs: number): Promise<T>;
}

export function forkChild(name: string, script: string, env: Record<string, string>): IpcChild {
  const child = fork(path.join(ROOT, script), [], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    execPath: process.execPath,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      lines.splice(0, Math.max(0, lines.length - 40));
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    name,
    process: child,
    tail: () => lines.join('\n'),
    send: (message) => child.send(message as object),
    next<T>(accept: (message: T) => boolean, timeoutMs: number) {
      return new Promise<T>((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        const onMessage = (message: T) => {
          if (!accept(message)) return;
          done();
          resolve(message);
        };
        const onExit = (code: number | null) => {
          done();
          reject(new Error(`${name} exited (code ${code})`));
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${name}: no answer within ${timeoutMs} ms`));
        }, timeoutMs);
        child.on('message', onMessage);
        child.once('exit', onExit);
      });
    },
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ stop: true });
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const terminator = setTimeout(() => child.kill('SIGTERM'), Math.min(2_000, graceMs / 2));
      await exited;
      clearTimeout(killer);
      clearTimeout(terminator);
    },
  };
}

let clockTicks: number | undefined;

/**
 * CPU seconds (user + system) used so far by a process, its live descendants and its waited-for
 * children, from /proc (Linux). NaN where there is no /proc. Differences of two readings give the CPU
 * a process tree spent on a measurement, whatever else the machine was doing meanwhile.
 */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stats = new Map<number, { parent: number; ticks: number }>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
        stats.set(Number(entry), { parent: Number(fields[1]), ticks });
      } catch {
        // the process ended meanwhile
      }
    }
    let total = 0;
    for (const [candidate, stat] of stats) {
      for (let current: number | undefined = candidate; current !== undefined && current > 1;) {
        if (current === pid) {
          total += stat.ticks;
          break;
        }
        current = stats.get(current)?.parent;
      }
    }
    return total / clockTicks;
  } catch {
    return Number.NaN;
  }
}

/** The process whose command line mentions `text` (the first found), e.g. a PostgreSQL data folder. */
export function pidWithArgument(text: string): number | undefined {
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        if (
          readFileSync(`/proc/${entry}/cmdline`, 'utf8')
            .split('\0')
            .some((arg) => arg.includes(text))
        )
          return Number(entry);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

/** The process listening on a TCP port of this machine (`ss`), e.g. the RabbitMQ broker. */
export function pidListening(port: number): number | undefined {
  try {
    const out = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds per named process tree over a measurement: `const done = cpuMeter(pids); …; done()`. */
export function cpuMeter(pids: Record<string, number | undefined>): () => Record<string, number> {
  const before = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const self = process.cpuUsage();
  return () => {
    const used: Record<string, number> = {};
    for (const [name, pid] of Object.entries(pids)) used[name] = cpuSeconds(pid) - before[name]!;
    const own = process.cpuUsage(self);
    used['load generator'] = (own.user + own.system) / 1e6;
    return used;
  };
}

/** The PostgreSQL server of a bench database (its postmaster and backends). */
export function postgresPid(database: BenchDatabase): number | undefined {
  return pidWithArgument(path.join(database.dataDir, 'pg'));
}

/** Median CPU per result (µs; `results` may count frames) of each process tree, per target. */
export function cpuTable(
  samples: readonly { target: string; results: number; cpu: Record<string, number> }[],
  targets: readonly string[],
  label: (target: string) => string,
  unit = 'result',
): string {
  const names = [...new Set(samples.flatMap((s) => Object.keys(s.cpu)))];
  const rows = targets.map((target) => {
    const mine = samples.filter((s) => s.target === target);
    return [
      label(target),
      ...names.map((name) => {
        const values = mine.filter((s) => name in s.cpu).map((s) => (s.cpu[name]! * 1e6) / s.results);
        return values.length === 0 || values.every((v) => Number.isNaN(v)) ? '–' : fmt(median(values));
      }),
    ];
  });
  return table([`CPU µs per ${unit}`, ...names], rows);
}
