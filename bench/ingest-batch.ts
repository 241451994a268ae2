/**
 * `node bench/ingest-batch.ts [--rounds 3 --results 200000 --batch 10000 --clients 4 --profile]`:
 * batch ingest through HOM's whole pipeline (POST /ingest with arrays of `--batch` results, `--clients`
 * concurrent clients, in-process transport, 202 after the commit) against a raw `COPY … FROM STDIN` of
 * the same rows into the same table (pg-copy-streams, as many concurrent COPYs of the same size), in the
 * same run, alternating. Prints results/s per round, the medians, the ratio and the CPU each process
 * used per result. `--compare <dir>` (repeatable) adds a target per directory: HOM run from another
 * checkout (with its node_modules) on the same database, for before/after figures of a change;
 * `--statements` loads pg_stat_statements and prints what PostgreSQL ran per result.
 * See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import {
  copyText,
  countResults,
  cpuMeter,
  cpuTable,
  createPlant,
  fmt,
  generateResults,
  machineInfo,
  median,
  positiveInteger,
  postgresPid,
  ROOT,
  runBench,
  startDatabase,
  startHom,
  statementMeter,
  statementsText,
  stationItem,
  table,
  TABLE_COLUMNS,
  truncateResults,
  verdict,
  writeResults,
  type HomProcess,
  type Plant,
  type Statements,
} from './ingest-common.ts';

const GOAL_RATIO = 0.7;
const GOAL_ABSOLUTE = 100_000;
const RESULTS_FILE = path.join(ROOT, 'bench/results/ingest-batch.json');
/** 'hom', 'copy', or a `--compare` directory. */
type Target = string;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    results: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '10000' },
    clients: { type: 'string', default: '4' },
    profile: { type: 'boolean', default: false },
    compare: { type: 'string', multiple: true, default: [] },
    statements: { type: 'boolean', default: false },
  },
});
const TARGETS: Target[] = ['hom', 'copy', ...flags.compare];
const rounds = positiveInteger(flags.rounds, '--rounds');
const batch = positiveInteger(flags.batch, '--batch');
const total = Math.ceil(positiveInteger(flags.results, '--results') / batch) * batch;
const clients = positiveInteger(flags.clients, '--clients');

interface Sample {
  round: number;
  target: Target;
  results: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds per process tree during the measurement. */
  cpu: Record<string, number>;
  /** With --statements: what PostgreSQL ran. */
  statements?: Statements;
}

await runBench('ingest-batch', async (cleanup) => {
  const started = Date.now();
  const database = await startDatabase(cleanup, 'batch', { statements: flags.statements });
  const adminPassword = randomBytes(15).toString('base64url');
  const hom = await startHom(cleanup, database, {
    name: 'HOM',
    roles: 'api,ingest,worker',
    adminPassword,
    profile: flags.profile,
  });
  const plant = await createPlant(hom.url, database, adminPassword);
  const others = new Map<string, HomProcess>();
  for (const root of flags.compare) {
    others.set(
      root,
      await startHom(cleanup, database, { name: label(root), roles: 'api,ingest,worker', root }),
    );
  }
  console.log(
    `HOM on ${hom.url} (in-process transport), PostgreSQL ${new URL(database.ownerUrl).port}; ` +
      `${fmt(total)} results per target and round, ${fmt(batch)} per request or COPY, ${clients} clients`,
  );

  const pids = { HOM: hom.pid, PostgreSQL: postgresPid(database) };
  const measure = (target: Target, tag: string, results: number): Promise<Measured> => {
    if (target === 'copy')
      return viaCopy(database.ownerUrl, plant, tag, results, { PostgreSQL: pids.PostgreSQL });
    const server = target === 'hom' ? hom : others.get(target)!;
    return viaHom(server.url, plant, tag, results, { HOM: server.pid, PostgreSQL: pids.PostgreSQL });
  };

  // Warm-up: JIT, plans, the partitions' first pages; then start from an empty table.
  for (const target of TARGETS)
    await measure(target, `W${TARGETS.indexOf(target)}`, Math.min(total, batch * 2));
  await truncateResults(database.ownerUrl);

  const samples: Sample[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Rotate the order so that no target always runs first or last.
    const order = TARGETS.map((_, i) => TARGETS[(i + round - 1) % TARGETS.length]!);
    const roundSamples: Sample[] = [];
    for (const target of order) {
      const tag = `R${round}x${TARGETS.indexOf(target)}x${randomBytes(2).toString('hex')}`;
      const statements = flags.statements ? await statementMeter(database.ownerUrl) : undefined;
      const { seconds, cpu } = await measure(target, tag, total);
      const ran = statements ? { statements: await statements() } : {};
      const stored = await countResults(database.ownerUrl, `${tag}-%`);
      if (stored !== total) throw new Error(`${target}: ${stored} of ${total} results stored`);
      await truncateResults(database.ownerUrl);
      roundSamples.push({ round, target, results: total, seconds, perSecond: total / seconds, cpu, ...ran });
    }
    roundSamples.sort((a, b) => TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
    samples.push(...roundSamples);
    console.log(
      `round ${round}\n${table(
        ['target', 'results', 's', 'results/s'],
        roundSamples.map((s) => [label(s.target), fmt(s.results), fmt(s.seconds, 2), fmt(s.perSecond)]),
      )}`,
    );
  }

  const med = (target: Target) => median(samples.filter((s) => s.target === target).map((s) => s.perSecond));
  const homRate = med('hom');
  const copyRate = med('copy');
  const ratio = homRate / copyRate;
  console.log(
    `\nsummary (median of ${rounds} round${rounds === 1 ? '' : 's'})\n${table(
      ['target', 'results/s'],
      TARGETS.map((t) => [label(t), fmt(med(t))]),
    )}\n` +
      flags.compare.map((root) => `  HOM / ${label(root)}: ${fmt(homRate / med(root), 2)}\n`).join('') +
      `  HOM / COPY: ${fmt(ratio, 3)}  (goal >= ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})` +
      `\n  HOM results/s: ${fmt(homRate)}  (goal >= ${fmt(GOAL_ABSOLUTE)}: ${verdict(homRate >= GOAL_ABSOLUTE)})` +
      `\n\n${cpuTable(samples, TARGETS, label)}`,
  );
  for (const sample of samples.filter((s) => s.round === rounds && s.statements)) {
    console.log(
      `\nPostgreSQL statements, ${label(sample.target)} (round ${rounds})\n${statementsText(sample.statements!, sample.results)}`,
    );
  }
  await writeResults(RESULTS_FILE, {
    generatedAt: new Date().toISOString(),
    command: `node bench/ingest-batch.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(),
    options: { rounds, results: total, batch, clients, compare: flags.compare },
    samples,
    summary: {
      homResultsPerSecond: homRate,
      copyResultsPerSecond: copyRate,
      compareResultsPerSecond: Object.fromEntries(flags.compare.map((root) => [root, med(root)])),
      ratio: { value: ratio, goal: GOAL_RATIO, meetsGoal: ratio >= GOAL_RATIO },
      absolute: { value: homRate, goal: GOAL_ABSOLUTE, meetsGoal: homRate >= GOAL_ABSOLUTE },
    },
    elapsedSeconds: (Date.now() - started) / 1000,
  });
  console.log(
    `results: ${path.relative(ROOT, RESULTS_FILE)} (${fmt((Date.now() - started) / 1000)} s in all)`,
  );
});

function label(target: Target): string {
  if (target === 'hom') return 'HOM POST /ingest';
  if (target === 'copy') return 'COPY FROM STDIN';
  return `HOM of ${path.basename(path.resolve(target))}`;
}

interface Measured {
  seconds: number;
  cpu: Record<string, number>;
}

/**
 * `clients` workers take the next prepared job until none is left: the seconds from the first send to
 * the last answer, and the CPU each process tree used meanwhile.
 */
async function runClients(
  jobs: number,
  pids: Record<string, number | undefined>,
  work: (job: number) => Promise<void>,
): Promise<Measured> {
  let next = 0;
  const meter = cpuMeter(pids);
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(clients, jobs) }, async () => {
      while (next < jobs) await work(next++);
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  return { seconds, cpu: meter() };
}

async function viaHom(
  url: string,
  plant: Plant,
  tag: string,
  results: number,
  pids: Record<string, number | undefined>,
): Promise<Measured> {
  // Bodies are serialised before the clock starts: the load generator shares the machine's two cores.
  const bodies: string[] = [];
  for (let offset = 0; offset < results; offset += batch) {
    bodies.push(
      JSON.stringify(generateResults(plant, tag, Math.min(batch, results - offset), offset).map(stationItem)),
    );
  }
  return runClients(bodies.length, pids, async (job) => {
    const response = await fetch(`${url}/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': plant.apiKey },
      body: bodies[job]!,
      signal: AbortSignal.timeout(120_000),
    });
    const text = await response.text();
    if (response.status !== 202)
      throw new Error(`POST /ingest answered ${response.status}: ${text.slice(0, 300)}`);
  });
}

async function viaCopy(
  ownerUrl: string,
  plant: Plant,
  tag: string,
  results: number,
  pids: Record<string, number | undefined>,
): Promise<Measured> {
  const chunks: string[] = [];
  for (let offset = 0; offset < results; offset += batch) {
    chunks.push(copyText(plant, generateResults(plant, tag, Math.min(batch, results - offset), offset)));
  }
  // The owner is a superuser: COPY FROM is refused on a table with row-level security for anyone else.
  const connections = await Promise.all(
    Array.from({ length: Math.min(clients, chunks.length) }, async () => {
      const client = new pg.Client({ connectionString: ownerUrl });
      await client.connect();
      return client;
    }),
  );
  const idle = [...connections];
  try {
    return await runClients(chunks.length, pids, async (job) => {
      const client = idle.pop()!;
      try {
        await pipeline(
          Readable.from([chunks[job]!]),
          client.query(copyFrom(`copy test_results (${TABLE_COLUMNS}) from stdin`)),
        );
      } finally {
        idle.push(client);
      }
    });
  } finally {
    await Promise.all(connections.map((client) => client.end()));
  }
}
