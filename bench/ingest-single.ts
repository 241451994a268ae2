/**
 * `node bench/ingest-single.ts [--rounds 3 --step-seconds 5 --start-rate 50 --pool 10 --p99 250]`:
 * single-result POST /ingest at fixed arrival rates (open loop, bench/open-loop.ts) against a pg pool of
 * the same size as HOM's (DATABASE_POOL_SIZE, 10) doing one single-row INSERT transaction per result,
 * in the same run, alternating. For each, the highest rate whose p99 (counted from when each request was
 * due) stays within `--p99` ms with no error: the rate grows ×1.5 until a step fails (a failed step is run
 * once more: it fails only twice in a row), then two bisections (from round 2 on, the search starts at
 * 1/2.25 of the target's previous best). `--compare <dir>` adds HOM
 * run from another checkout as a third target (before/after figures); `--statements` loads
 * pg_stat_statements and prints what PostgreSQL ran per result. See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import {
  countResults,
  cpuMeter,
  cpuTable,
  createPlant,
  fmt,
  machineInfo,
  median,
  positiveInteger,
  postgresPid,
  resultGenerator,
  ROOT,
  statementMeter,
  statementsText,
  runBench,
  sleep,
  startDatabase,
  startHom,
  stationItem,
  table,
  TABLE_COLUMNS,
  tableValues,
  truncateResults,
  verdict,
  writeResults,
  type Plant,
  type Statements,
} from './ingest-common.ts';
import { openLoop, type StepResult } from './open-loop.ts';

const GOAL_RATIO = 2;
const GOAL_ABSOLUTE = 10_000;
const RESULTS_FILE = path.join(ROOT, 'bench/results/ingest-single.json');
const GROWTH = 1.5;
const BISECTIONS = 2;
const DRAIN_TIMEOUT_MS = 180_000;
type Target = 'hom' | 'insert' | 'compare';

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    'step-seconds': { type: 'string', default: '5' },
    'start-rate': { type: 'string', default: '50' },
    'max-rate': { type: 'string', default: '40000' },
    pool: { type: 'string', default: '10' },
    p99: { type: 'string', default: '250' },
    sockets: { type: 'string', default: '512' },
    profile: { type: 'boolean', default: false },
    compare: { type: 'string' },
    statements: { type: 'boolean', default: false },
  },
});
const TARGETS: Target[] = flags.compare ? ['hom', 'insert', 'compare'] : ['hom', 'insert'];
const rounds = positiveInteger(flags.rounds, '--rounds');
const stepSeconds = positiveInteger(flags['step-seconds'], '--step-seconds');
const startRate = positiveInteger(flags['start-rate'], '--start-rate');
const maxRate = positiveInteger(flags['max-rate'], '--max-rate');
const poolSize = positiveInteger(flags.pool, '--pool');
const p99Limit = positiveInteger(flags.p99, '--p99');
const sockets = positiveInteger(flags.sockets, '--sockets');

type Step = StepResult & { cpu: Record<string, number>; statements?: Statements };

interface Sample {
  round: number;
  target: Target;
  /** The highest rate that passed (results/s); 0 if even the first step failed. */
  maxRate: number;
  /** p99 at that rate. */
  p99Ms: number;
  /** Results answered in that step, and the CPU per process tree it took. */
  results: number;
  cpu: Record<string, number>;
  /** With --statements: what PostgreSQL ran in that step. */
  statements?: Statements;
  steps: Step[];
}

await runBench('ingest-single', async (cleanup) => {
  const started = Date.now();
  const database = await startDatabase(cleanup, 'single', { statements: flags.statements });
  const adminPassword = randomBytes(15).toString('base64url');
  const hom = await startHom(cleanup, database, {
    name: 'HOM',
    roles: 'api,ingest,worker',
    adminPassword,
    profile: flags.profile,
    env: { DATABASE_POOL_SIZE: String(poolSize) },
  });
  const plant = await createPlant(hom.url, database, adminPassword);
  const other = flags.compare
    ? await startHom(cleanup, database, {
        name: 'HOM (compare)',
        roles: 'api,ingest,worker',
        root: flags.compare,
        env: { DATABASE_POOL_SIZE: String(poolSize) },
      })
    : undefined;
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  cleanup.add('HTTP agent', async () => agent.destroy());
  const pool = new pg.Pool({ connectionString: database.ownerUrl, max: poolSize });
  cleanup.add('pg pool', () => pool.end());
  console.log(
    `HOM on ${hom.url} (in-process transport, pool of ${poolSize}); baseline: pg pool of ${poolSize}, ` +
      `one INSERT per transaction. Steps of ${stepSeconds} s, pass = p99 <= ${p99Limit} ms and no error`,
  );

  const postgres = postgresPid(database);
  const pids: Record<Target, Record<string, number | undefined>> = {
    hom: { HOM: hom.pid, PostgreSQL: postgres },
    insert: { PostgreSQL: postgres },
    compare: { HOM: other?.pid, PostgreSQL: postgres },
  };
  const senders: Record<Target, (tag: string) => (i: number) => Promise<void>> = {
    hom: (tag) => {
      const next = resultGenerator(plant, tag);
      return (i) => postOne(hom.url, agent, plant, JSON.stringify(stationItem(next(i))));
    },
    compare: (tag) => {
      const next = resultGenerator(plant, tag);
      return (i) => postOne(other!.url, agent, plant, JSON.stringify(stationItem(next(i))));
    },
    insert: (tag) => {
      const sql = `insert into test_results (${TABLE_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
        on conflict (machine_id, test_step, barcode, measured_at) do nothing`;
      const next = resultGenerator(plant, tag);
      return async (i) => {
        await pool.query(sql, tableValues(plant, next(i)));
      };
    },
  };

  // Warm-up: connections, JIT and plans, 3 s at the start rate each; then an empty table.
  for (const target of TARGETS) await (await openLoop(startRate, 3, senders[target](`W${target}`))).settled;
  await truncateResults(database.ownerUrl);

  const samples: Sample[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    // Rotate the order so that no target always runs first or last.
    const order = TARGETS.map((_, i) => TARGETS[(i + round - 1) % TARGETS.length]!);
    const roundSamples: Sample[] = [];
    for (const target of order) {
      const previous = samples.filter((s) => s.target === target).at(-1)?.maxRate ?? 0;
      const from = Math.max(startRate, Math.round(previous / (GROWTH * GROWTH)));
      const sample = await search(round, target, senders[target], database.ownerUrl, from, pids[target]);
      roundSamples.push(sample);
      await truncateResults(database.ownerUrl);
    }
    roundSamples.sort((a, b) => TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
    samples.push(...roundSamples);
    console.log(
      `round ${round}\n${table(
        ['target', 'max results/s', 'p99 ms there'],
        roundSamples.map((s) => [label(s.target), fmt(s.maxRate), fmt(s.p99Ms, 1)]),
      )}`,
    );
  }

  const med = (target: Target) => median(samples.filter((s) => s.target === target).map((s) => s.maxRate));
  const homRate = med('hom');
  const insertRate = med('insert');
  const ratio = homRate / insertRate;
  console.log(
    `\nsummary (median of ${rounds} round${rounds === 1 ? '' : 's'}: the highest rate with p99 <= ${p99Limit} ms)\n${table(
      ['target', 'results/s'],
      TARGETS.map((t) => [label(t), fmt(med(t))]),
    )}\n` +
      (flags.compare
        ? `  HOM / HOM (compare): ${fmt(homRate / med('compare'), 2)}  (this checkout against ${flags.compare})\n`
        : '') +
      `  HOM / INSERT: ${fmt(ratio, 3)}  (goal >= ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})` +
      `\n  HOM results/s: ${fmt(homRate)}  (goal >= ${fmt(GOAL_ABSOLUTE)}: ${verdict(homRate >= GOAL_ABSOLUTE)})` +
      `\n\n  at each round's highest passing rate:\n${cpuTable(samples, TARGETS, (t) => label(t as Target))}`,
  );
  for (const sample of samples.filter((s) => s.round === rounds && s.statements)) {
    console.log(
      `\nPostgreSQL statements, ${label(sample.target)} at ${fmt(sample.maxRate)}/s (round ${rounds})\n` +
        statementsText(sample.statements!, sample.results),
    );
  }
  await writeResults(RESULTS_FILE, {
    generatedAt: new Date().toISOString(),
    command: `node bench/ingest-single.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(),
    options: { rounds, stepSeconds, startRate, maxRate, poolSize, p99Limit, sockets, compare: flags.compare },
    samples,
    summary: {
      homResultsPerSecond: homRate,
      insertResultsPerSecond: insertRate,
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
  if (target === 'compare') return 'HOM (compare) POST /ingest';
  return target === 'hom' ? 'HOM POST /ingest (1 result)' : 'pg pool, 1 INSERT per tx';
}

/** Grows the rate ×1.5 until a step fails, then bisects twice between the last pass and the first failure. */
async function search(
  round: number,
  target: Target,
  sender: (tag: string) => (i: number) => Promise<void>,
  ownerUrl: string,
  from: number,
  pids: Record<string, number | undefined>,
): Promise<Sample> {
  const steps: Step[] = [];
  let best: Step | undefined;
  let failedAt: number | undefined;
  const once = async (rate: number) => {
    const tag = `R${round}${target}${Math.round(rate)}x${randomBytes(2).toString('hex')}`;
    const statements = flags.statements ? await statementMeter(ownerUrl) : undefined;
    const meter = cpuMeter(pids);
    const { settled, ...result } = await openLoop(rate, stepSeconds, sender(tag));
    const step: Step = { ...result, cpu: meter() };
    steps.push(step);
    const passed = step.failed === 0 && step.unanswered === 0 && step.p99Ms <= p99Limit;
    if (passed) {
      // Every answered result is stored exactly once.
      const stored = await countResults(ownerUrl, `${tag}-%`);
      if (stored !== step.completed)
        throw new Error(`${target}: ${stored} of ${step.completed} results stored`);
    }
    console.log(
      `  round ${round} ${label(target).padEnd(27)} ${fmt(rate).padStart(7)}/s: p50 ${fmt(step.p50Ms, 1)} ms, ` +
        `p99 ${fmt(step.p99Ms, 1)} ms, ${fmt(step.completed)} ok, ${step.failed} failed, ${step.unanswered} unanswered ` +
        `${passed ? 'pass' : 'FAIL'}${step.firstError ? ` (${step.firstError.slice(0, 120)})` : ''}`,
    );
    // The next step starts on an idle system: every request of this one has ended, the queues are empty.
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      settled.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DRAIN_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (!drained)
      throw new Error(
        `${target}: requests of the ${fmt(rate)}/s step still open after ${DRAIN_TIMEOUT_MS / 1000} s`,
      );
    await sleep(1_000);
    if (statements) step.statements = await statements();
    return passed;
  };
  // A step fails only if it fails twice: one stall of a noisy machine in a few seconds must not end the search.
  const run = async (rate: number) => (await once(rate)) || (await once(rate));
  let rate = from;
  for (;;) {
    if (await run(rate)) best = steps.at(-1);
    else if (!best && rate > startRate) {
      rate = startRate; // this round is slower than the last: search again from the bottom
      continue;
    } else {
      failedAt = rate;
      break;
    }
    if (rate >= maxRate) break;
    rate = Math.min(maxRate, Math.round(rate * GROWTH));
  }
  if (failedAt !== undefined) {
    let low = best?.rate ?? 0;
    let high = failedAt;
    for (let i = 0; i < BISECTIONS && high - low > 10; i += 1) {
      const middle = Math.round((low + high) / 2);
      if (await run(middle)) {
        best = steps.at(-1);
        low = middle;
      } else high = middle;
    }
  }
  return {
    round,
    target,
    maxRate: best?.rate ?? 0,
    p99Ms: best?.p99Ms ?? Number.NaN,
    results: best?.completed ?? 0,
    cpu: best?.cpu ?? {},
    ...(best?.statements ? { statements: best.statements } : {}),
    steps,
  };
}

function postOne(url: string, agent: http.Agent, plant: Plant, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/ingest`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-api-key': plant.apiKey,
        },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          if (response.statusCode === 202) resolve();
          else
            reject(
              new Error(
                `HTTP ${response.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`,
              ),
            );
        });
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out after 30 s')));
    request.on('error', reject);
    request.end(body);
  });
}
