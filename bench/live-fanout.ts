/**
 * `node bench/live-fanout.ts [--rounds 3 --clients 1000 --results 1000 --batch 50]`: GET /ws/live
 * fan-out of HOM to `--clients` viewers against a bare `ws` broadcast server (bench/live-baseline.ts)
 * sending the same frames to as many clients, in the same run, alternating. Each round feeds
 * `--results` results, `--batch` at a time (HOM: POST /ingest, in-process transport, so each commit is
 * pushed to the viewers; bare: POST /publish of the same frames), and measures from the first request
 * to the moment every viewer has received every frame: frames delivered per second at the clients.
 * The viewers live in a child process (bench/live-clients.ts). See docs/performance.md.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startChild } from './children.ts';
import {
  cpuMeter,
  cpuTable,
  createPlant,
  fmt,
  forkChild,
  generateResults,
  machineInfo,
  median,
  positiveInteger,
  postgresPid,
  ROOT,
  runBench,
  startDatabase,
  startHom,
  stationItem,
  table,
  truncateResults,
  verdict,
  writeResults,
  type GeneratedResult,
  type Plant,
} from './ingest-common.ts';

const GOAL_RATIO = 0.7;
const RESULTS_FILE = path.join(ROOT, 'bench/results/live-fanout.json');
type Target = 'hom' | 'bare';
const TARGETS: Target[] = ['hom', 'bare'];

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    clients: { type: 'string', default: '1000' },
    results: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '50' },
    profile: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(flags.rounds, '--rounds');
const clientCount = positiveInteger(flags.clients, '--clients');
const batch = positiveInteger(flags.batch, '--batch');
const total = Math.ceil(positiveInteger(flags.results, '--results') / batch) * batch;
const ROUND_TIMEOUT_MS = 180_000;

interface Sample {
  round: number;
  target: Target;
  frames: number;
  seconds: number;
  perSecond: number;
  meanFrameBytes: number;
  lostClients: number;
  /** CPU seconds per process tree from the first request until every viewer had every frame. */
  cpu: Record<string, number>;
}

interface Delivery {
  done: number;
  frames: number;
  bytes: number;
  lost: number;
  complete: number;
  closeCodes: Record<string, number>;
}

await runBench('live-fanout', async (cleanup) => {
  const started = Date.now();
  const database = await startDatabase(cleanup, 'live');
  const adminPassword = randomBytes(15).toString('base64url');
  const hom = await startHom(cleanup, database, {
    name: 'HOM',
    roles: 'api,ingest,worker',
    adminPassword,
    profile: flags.profile,
    // The viewers' token is checked again every minute: it must outlive the run.
    env: { HOM_ACCESS_TOKEN_TTL_SECONDS: '86400' },
  });
  const plant = await createPlant(hom.url, database, adminPassword);
  const bare = cleanup.child(
    startChild('bare ws server', ['bench/live-baseline.ts'], { ...process.env, PORT: '0' }, ROOT),
  );
  const bareUrl = String((await bare.jsonLine('url', 15_000)).url);

  const viewers = {} as Record<Target, ReturnType<typeof forkChild>>;
  for (const target of TARGETS) {
    const child = cleanup.child(forkChild(`${target} viewers`, 'bench/live-clients.ts', {}));
    await child.next<{ ready?: boolean }>((m) => Boolean(m.ready), 30_000);
    viewers[target] = child;
  }
  // One set of viewers per server, all connected for the whole run (as real dashboards would be).
  await connect(viewers.hom, `${hom.url.replace('http', 'ws')}/ws/live`, {
    authorization: `Bearer ${plant.session.accessToken}`,
  });
  await connect(viewers.bare, `${bareUrl.replace('http', 'ws')}/ws/live`, {});
  console.log(
    `HOM ${hom.url}/ws/live and bare ws ${bareUrl}/ws/live, ${fmt(clientCount)} viewers each; ` +
      `${fmt(total)} results per round, ${batch} per request: ${fmt(total * clientCount)} frames`,
  );

  const pids: Record<Target, Record<string, number | undefined>> = {
    hom: { HOM: hom.pid, PostgreSQL: postgresPid(database), viewers: viewers.hom.process.pid },
    bare: { 'bare ws server': bare.process.pid, viewers: viewers.bare.process.pid },
  };
  const measure: Record<
    Target,
    (tag: string, results: number) => Promise<Delivery & { began: number; cpu: Record<string, number> }>
  > = {
    hom: (tag, results) =>
      deliver(
        viewers.hom,
        pids.hom,
        results,
        async (chunk) => {
          await postJson(`${hom.url}/ingest`, chunk.map(stationItem), 202, { 'x-api-key': plant.apiKey });
        },
        tag,
      ),
    bare: (tag, results) =>
      deliver(
        viewers.bare,
        pids.bare,
        results,
        async (chunk) => {
          await postJson(
            `${bareUrl}/publish`,
            chunk.map((r, i) => frameOf(plant, r, i)),
            204,
            {},
          );
        },
        tag,
      ),
  };

  /** Feeds `results` in batches, one request after the other; resolves when every viewer has them all. */
  async function deliver(
    child: ReturnType<typeof forkChild>,
    processes: Record<string, number | undefined>,
    results: number,
    send: (chunk: GeneratedResult[]) => Promise<void>,
    tag: string,
  ) {
    const all = generateResults(plant, tag, results);
    child.send({ expect: results, timeoutMs: ROUND_TIMEOUT_MS });
    await child.next<{ expecting?: number }>((m) => m.expecting === results, 10_000);
    const delivered = child.next<Delivery>((m) => typeof m.done === 'number', ROUND_TIMEOUT_MS + 10_000);
    const meter = cpuMeter(processes);
    const began = Date.now();
    for (let i = 0; i < all.length; i += batch) await send(all.slice(i, i + batch));
    const delivery = await delivered;
    return { ...delivery, began, cpu: meter() };
  }

  // Warm-up, then an empty table.
  for (const target of TARGETS) await measure[target](`W${target}`, Math.min(total, batch * 4));
  await truncateResults(database.ownerUrl);

  const samples: Sample[] = [];
  for (let round = 1; round <= rounds; round += 1) {
    const order = round % 2 ? TARGETS : [...TARGETS].reverse();
    const roundSamples: Sample[] = [];
    for (const target of order) {
      const tag = `R${round}${target}${randomBytes(2).toString('hex')}`;
      const result = await measure[target](tag, total);
      const expected = total * (clientCount - result.lost);
      if (result.complete + result.lost < clientCount || result.frames < expected) {
        throw new Error(
          `${target}: ${fmt(result.frames)} of ${fmt(total * clientCount)} frames arrived in time ` +
            `(${result.complete} viewers complete, ${result.lost} closed: ${JSON.stringify(result.closeCodes)})`,
        );
      }
      const seconds = (result.done - result.began) / 1000;
      roundSamples.push({
        round,
        target,
        frames: result.frames,
        seconds,
        perSecond: result.frames / seconds,
        meanFrameBytes: result.bytes / result.frames,
        lostClients: result.lost,
        cpu: result.cpu,
      });
    }
    await truncateResults(database.ownerUrl);
    roundSamples.sort((a, b) => TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target));
    samples.push(...roundSamples);
    console.log(
      `round ${round}\n${table(
        ['target', 'frames', 's', 'frames/s', 'bytes/frame', 'viewers lost'],
        roundSamples.map((s) => [
          label(s.target),
          fmt(s.frames),
          fmt(s.seconds, 2),
          fmt(s.perSecond),
          fmt(s.meanFrameBytes),
          s.lostClients,
        ]),
      )}`,
    );
  }

  const med = (target: Target) => median(samples.filter((s) => s.target === target).map((s) => s.perSecond));
  const homRate = med('hom');
  const bareRate = med('bare');
  const ratio = homRate / bareRate;
  console.log(
    `\nsummary (median of ${rounds} round${rounds === 1 ? '' : 's'}, frames delivered per second at the viewers)\n${table(
      ['target', 'frames/s'],
      [
        [label('hom'), fmt(homRate)],
        [label('bare'), fmt(bareRate)],
      ],
    )}\n  HOM / bare ws: ${fmt(ratio, 3)}  (goal >= ${GOAL_RATIO}: ${verdict(ratio >= GOAL_RATIO)})` +
      `\n\n${cpuTable(
        samples.map((s) => ({ ...s, results: s.frames })),
        TARGETS,
        (t) => label(t as Target),
        'frame',
      )}`,
  );
  await writeResults(RESULTS_FILE, {
    generatedAt: new Date().toISOString(),
    command: `node bench/live-fanout.ts ${process.argv.slice(2).join(' ')}`.trim(),
    machine: machineInfo(),
    options: { rounds, clients: clientCount, results: total, batch },
    samples,
    summary: {
      homFramesPerSecond: homRate,
      bareFramesPerSecond: bareRate,
      ratio: { value: ratio, goal: GOAL_RATIO, meetsGoal: ratio >= GOAL_RATIO },
    },
    elapsedSeconds: (Date.now() - started) / 1000,
  });
  console.log(
    `results: ${path.relative(ROOT, RESULTS_FILE)} (${fmt((Date.now() - started) / 1000)} s in all)`,
  );
});

function label(target: Target): string {
  return target === 'hom' ? 'HOM GET /ws/live' : 'bare ws broadcast';
}

async function connect(
  child: ReturnType<typeof forkChild>,
  url: string,
  headers: Record<string, string>,
): Promise<void> {
  child.send({ connect: { url, count: clientCount, headers } });
  const answer = await child.next<{ connected?: number; error?: string }>(
    (m) => typeof m.connected === 'number',
    180_000,
  );
  if (answer.connected !== clientCount)
    throw new Error(`${child.name}: ${answer.connected} of ${clientCount} connected (${answer.error ?? ''})`);
}

async function postJson(
  url: string,
  body: unknown,
  status: number,
  headers: Record<string, string>,
): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`POST ${url} answered ${response.status}: ${text.slice(0, 300)}`);
}

/** The frame HOM pushes for a result (GET /results' item shape), for the bare server to send. */
function frameOf(plant: Plant, result: GeneratedResult, i: number): string {
  const now = new Date();
  return JSON.stringify({
    id: 1_000_000 + i,
    site_id: plant.siteId,
    machine_id: result.machine.id,
    machine_code: result.machine.code,
    barcode: result.barcode,
    product_id: result.product,
    test_step: result.step,
    measured_value: result.value,
    unit: 'V',
    timestamp: new Date(result.instant),
    received_at: now,
    verdict: result.value >= 80 && result.value <= 90 ? 'PASS' : 'FAIL',
    lower_limit: 80,
    upper_limit: 90,
  });
}
