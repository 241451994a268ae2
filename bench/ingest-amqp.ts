/**
 * `node bench/ingest-amqp.ts [--rounds 3 --results 100000 --batch 100 --concurrency 8 --prefetch 64]`:
 * the RabbitMQ path end to end (sent → stored): POST /ingest to a HOM_ROLES=ingest process, which
 * publishes each request as one persistent, confirmed message; a HOM_ROLES=worker process consumes
 * (prefetch `--prefetch`) and writes to PostgreSQL. Against a bare amqplib producer (confirm channel,
 * persistent, the same messages) and a bare consumer child (bench/amqp-bare-consumer.ts, same prefetch,
 * ack on receipt) on a queue of its own, in the same run, alternating.
 *
 * Everything runs in a virtual host made for the run on the machine's RabbitMQ (`--amqp`, default
 * amqp://guest:guest@127.0.0.1:5672) and deleted at the end with its queues, so HOM's fixed queue name
 * never meets another user's. Needs `rabbitmqctl` (add_vhost, set_permissions, delete_vhost).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import amqp from 'amqplib';
import pg from 'pg';
import {
  cpuMeter,
  cpuTable,
  createPlant,
  fmt,
  forkChild,
  generateResults,
  machineInfo,
  median,
  pipelineRow,
  pidListening,
  positiveInteger,
  postgresPid,
  ROOT,
  runBench,
  sleep,
  startDatabase,
  startHom,
  stationItem,
  table,
  truncateResults,
  verdict,
  writeResults,
  type BenchDatabase,
  type Plant,
} from './ingest-common.ts';

const run = promisify(execFile);
const GOAL_RATIO = 0.5;
const RESULTS_FILE = path.join(ROOT, 'bench/results/ingest-amqp.json');
type Target = 'hom' | 'bare';
const TARGETS: Target[] = ['hom', 'bare'];

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    results: { type: 'string', default: '100000' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    prefetch: { type: 'string', default: '64' },
    amqp: { type: 'string', default: 'amqp://guest:guest@127.0.0.1:5672' },
    profile: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(flags.rounds, '--rounds');
const batch = positiveInteger(flags.batch, '--batch');
const total = Math.ceil(positiveInteger(flags.results, '--results') / batch) * batch;
const concurrency = positiveInteger(flags.concurrency, '--concurrency');
const prefetch = positiveInteger(flags.prefetch, '--prefetch');
const ROUND_TIMEOUT_MS = 300_000;

interface Sample {
  round: number;
  target: Target;
  results: number;
  messages: number;
  /** All published and confirmed (HOM: every 202 received). */
  publishedSeconds: number;
  /** Sent → stored (HOM) or sent → acknowledged by the consumer (bare). */
  seconds: number;
  perSecond: number;
  /** CPU seconds per process tree from the first send to the end (RabbitMQ: the whole shared broker). */
  cpu: Record<string, number>;
}

await runBench('ingest-amqp', async (cleanup) => {
  const started = Date.now();
  const broker = new URL(flags.amqp);
  const vhost = `hom-bench-${randomBytes(4).toString('hex')}`;
  // Fail early, with the reason, when the broker is not there.
  await (await amqp.connect(broker.toString())).close();
  await rabbitmqctl(['add_vhost', vhost]);
  cleanup.add(`RabbitMQ vhost ${vhost}`, () => rabbitmqctl(['delete_vhost', vhost]));
  await rabbitmqctl(['set_permissions', '-p', vhost, decodeURIComponent(broker.username), '.*', '.*', '.*']);
  const amqpUrl = new URL(broker);
  amqpUrl.pathname = `/${encodeURIComponent(vhost)}`;

  const database = await startDatabase(cleanup, 'amqp');
  const adminPassword = randomBytes(15).toString('base64url');
  // An API process only to make the plant (sites, machines, the API key), stopped before measuring.
  const setup = await startHom(cleanup, database, { name: 'HOM api (setup)', roles: 'api', adminPassword });
  const plant = await createPlant(setup.url, database, adminPassword);
  await setup.child.stop(15_000);

  const env = { AMQP_URL: amqpUrl.toString(), HOM_INGEST_PREFETCH: String(prefetch) };
  const ingest = await startHom(cleanup, database, {
    name: 'HOM ingest',
    roles: 'ingest',
    env,
    profile: flags.profile,
  });
  const worker = await startHom(cleanup, database, {
    name: 'HOM worker',
    roles: 'worker',
    env,
    profile: flags.profile,
  });

  const bareQueue = `bench.bare.${randomBytes(3).toString('hex')}`;
  const consumer = cleanup.child(
    forkChild('bare consumer', 'bench/amqp-bare-consumer.ts', {
      AMQP_URL: amqpUrl.toString(),
      QUEUE: bareQueue,
      PREFETCH: String(prefetch),
    }),
  );
  await consumer.next<{ ready?: boolean }>((m) => Boolean(m.ready), 30_000);
  const producerConnection = await amqp.connect(amqpUrl.toString(), {
    clientProperties: { connection_name: 'bench bare producer' },
  });
  cleanup.add('bare producer', () => producerConnection.close().catch(() => undefined));
  const producer = await producerConnection.createConfirmChannel();
  await producer.assertQueue(bareQueue, { durable: true });

  console.log(
    `RabbitMQ ${broker.host} vhost ${vhost}; HOM ingest ${ingest.url} → queue hom.ingest.results → HOM worker ` +
      `(prefetch ${prefetch}) → PostgreSQL; bare: queue ${bareQueue}, prefetch ${prefetch}. ` +
      `${fmt(total)} results per round in messages of ${batch}, ${concurrency} in flight`,
  );

  const rabbitmq = pidListening(Number(broker.port || 5672));
  const homPids = {
    'HOM ingest': ingest.pid,
    'HOM worker': worker.pid,
    PostgreSQL: postgresPid(database),
    'RabbitMQ (shared)': rabbitmq,
  };
  const barePids = { 'bare consumer': consumer.process.pid, 'RabbitMQ (shared)': rabbitmq };
  const measure: Record<Target, (tag: string, results: number) => Promise<Omit<Sample, 'round' | 'target'>>> =
    {
      hom: (tag, results) => viaHom(ingest.url, database, plant, tag, results, homPids),
      bare: async (tag, results) => {
        const bodies = messages(plant, tag, results).map((rows) => JSON.stringify({ v: 1, rows }));
        consumer.send({ expect: bodies.length });
        await consumer.next<{ expecting?: number }>((m) => m.expecting === bodies.length, 10_000);
        const done = consumer.next<{ done?: number }>((m) => typeof m.done === 'number', ROUND_TIMEOUT_MS);
        const meter = cpuMeter(barePids);
        const began = Date.now();
        const publishedSeconds = await inFlight(bodies.length, async (job) => {
          await new Promise<void>((resolve, reject) => {
            producer.sendToQueue(
              bareQueue,
              Buffer.from(bodies[job]!),
              {
                persistent: true,
                mandatory: true,
                messageId: randomBytes(16).toString('hex'),
                contentType: 'application/json',
              },
              (error: unknown) => (error ? reject(error as Error) : resolve()),
            );
          });
        });
        const seconds = ((await done).done! - began) / 1000;
        const cpu = meter();
        return {
          results,
          messages: bodies.length,
          publishedSeconds,
          seconds,
          perSecond: results / seconds,
          cpu,
        };
      },
    };

  // Warm-up: connections, JIT, plans; then an empty table.
  for (const target of TARGETS) await measure[target](`W${target}`, Math.min(total, batch * 50));
  await truncateResults(database.ownerUrl);

  const samples: Sample[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 ? TARGETS : [...TARGETS].reverse();
    const roundSamples: Sample[] = [];
    for (const target of order) {
      const tag = `R${round}${target}${randomBytes(2).toString('hex')}`;
      roundSamples.push({ round, target, ...(await measure[target](tag, total)) });
      await truncateResults(database.ownerUrl);
    }
    roundSamples.sort((a, b) => TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
    samples.push(...roundSamples);
    console.log(
      `round ${round}\n${table(
        ['target', 'results', 'messages', 'published s', 'stored s', 'results/s'],
        roundSamples.map((s) => [
          label(s.target),
          fmt(s.results),
          fmt(s.messages),
          fmt(s.publishedSeconds, 2),
          fmt(s.seconds, 2),
          fmt(s.perSecond),
        ]),
      )}`,
    );
  }

  const med = (target: Target) => median(samples.filter((s) => s.target === target).map((s) => s.perSecond));
  const homRate = med('hom');
  const bareRate = med('bare');
  const ratio = homRate / bareRate;
  console.log(
    `\nsummary (median of ${rounds} round${rounds === 1 ? '' : 's'}, end to end)\n${table(
      ['target', 'results/s', 'messages/s'],
      [
        [label('hom'), fmt(homRate), fmt(homRate / batch)],
        [label('bare'), fmt(bareRate), fmt(bareRate / batch)],
      ],
    )}\n  HOM / bare amqplib: ${fmt(ratio, 3)}  (goal >= ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})` +
      `\n\n${cpuTable(samples, TARGETS, (t) => label(t as Target))}`,
  );
  await writeResults(RESULTS_FILE, {
    generatedAt: new Date().toISOString(),
    command: `node bench/ingest-amqp.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(),
    options: { rounds, results: total, batch, concurrency, prefetch, broker: broker.host },
    samples,
    summary: {
      homResultsPerSecond: homRate,
      bareResultsPerSecond: bareRate,
      ratio: { value: ratio, goal: GOAL_RATIO, meetsGoal: ratio >= GOAL_RATIO },
    },
    elapsedSeconds: (Date.now() - started) / 1000,
  });
  console.log(
    `results: ${path.relative(ROOT, RESULTS_FILE)} (${fmt((Date.now() - started) / 1000)} s in all)`,
  );
});

function label(target: Target): string {
  return target === 'hom' ? 'HOM ingest → worker → PG' : 'bare amqplib';
}

async function rabbitmqctl(args: string[]): Promise<void> {
  await run('rabbitmqctl', args, { timeout: 60_000 });
}

/** The results of a round, cut into messages of `batch` (the pipeline's row shape). */
function messages(plant: Plant, tag: string, results: number) {
  const all = generateResults(plant, tag, results);
  const cut = [];
  for (let i = 0; i < all.length; i += batch)
    cut.push(all.slice(i, i + batch).map((r) => pipelineRow(plant, r)));
  return cut;
}

/** `concurrency` loops take the next job until none is left; the seconds until the last one finished. */
async function inFlight(jobs: number, work: (job: number) => Promise<void>): Promise<number> {
  let next = 0;
  const began = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, jobs) }, async () => {
      while (next < jobs) await work(next++);
    }),
  );
  return (performance.now() - began) / 1000;
}

async function viaHom(
  url: string,
  database: BenchDatabase,
  plant: Plant,
  tag: string,
  results: number,
  pids: Record<string, number | undefined>,
) {
  const bodies: string[] = [];
  const all = generateResults(plant, tag, results).map(stationItem);
  for (let i = 0; i < all.length; i += batch) bodies.push(JSON.stringify(all.slice(i, i + batch)));
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  try {
    const sequence = async () =>
      Number(
        (
          await owner.query<{ n: string }>(
            'select case when is_called then last_value else last_value - 1 end as n from test_results_id_seq',
          )
        ).rows[0]!.n,
      );
    const count = async () =>
      (await owner.query<{ n: number }>('select count(*)::int as n from test_results')).rows[0]!.n;
    const before = await sequence();
    const meter = cpuMeter(pids);
    const began = performance.now();
    const publishedSeconds = await inFlight(bodies.length, async (job) => {
      const response = await fetch(`${url}/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': plant.apiKey },
        body: bodies[job]!,
        signal: AbortSignal.timeout(60_000),
      });
      const text = await response.text();
      if (response.status !== 202)
        throw new Error(`POST /ingest answered ${response.status}: ${text.slice(0, 300)}`);
    });
    // Stored = committed by the worker. The sequence is cheap to poll; count(*) confirms (no conflicts here).
    const deadline = performance.now() + ROUND_TIMEOUT_MS;
    while ((await sequence()) - before < results) {
      if (performance.now() > deadline) throw new Error('the worker did not store every result in time');
      await sleep(10);
    }
    let stored = await count();
    while (stored < results) {
      if (performance.now() > deadline)
        throw new Error(`only ${stored} of ${results} results stored in time`);
      await sleep(10);
      stored = await count();
    }
    const seconds = (performance.now() - began) / 1000;
    const cpu = meter();
    if (stored !== results) throw new Error(`${stored} results stored, ${results} sent`);
    return { results, messages: bodies.length, publishedSeconds, seconds, perSecond: results / seconds, cpu };
  } finally {
    await owner.end();
  }
}
