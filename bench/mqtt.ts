/**
 * `npm run bench:mqtt [-- --rounds 3 --readings 100000 --machines 20 --sensors 5 --qos 0]`: MQTT →
 * PostgreSQL. A publisher child sends `--readings` JSON readings as fast as it can to the machine's
 * Mosquitto (`--mqtt`, default mqtt://127.0.0.1:1883); the rate is readings over the time from the
 * first publish to the last one done: (a) received by a bare mqtt.js subscriber that only counts
 * (bench/mqtt-bare-subscriber.ts), (b) committed to PostgreSQL by a HOM process (`npm start`, roles
 * api,ingest, MQTT_URL set) on a fresh embedded PostgreSQL. Alternating, in the same run; medians over
 * the rounds. Goal (issue 7): HOM ≥ 0.3× the bare subscriber and ≥ 20,000 readings/s. Results in
 * bench/results/mqtt.json and docs/performance.md ("MQTT").
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { connectAsync } from 'mqtt';
import pg from 'pg';
import {
  cpuMeter,
  createPlant,
  fmt,
  forkChild,
  machineInfo,
  median,
  pidListening,
  positiveInteger,
  postgresPid,
  ROOT,
  runBench,
  sleep,
  startDatabase,
  startHom,
  table,
  writeResults,
} from './ingest-common.ts';

const GOAL_RATIO = 0.3;
const GOAL_RATE = 20_000;
const RESULTS_FILE = path.join(ROOT, 'bench/results/mqtt.json');
const ROUND_TIMEOUT_MS = 300_000;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    readings: { type: 'string', default: '100000' },
    machines: { type: 'string', default: '20' },
    sensors: { type: 'string', default: '5' },
    qos: { type: 'string', default: '0' },
    /** Readings sent to each subscriber once before the rounds (not counted): JIT and caches warm. */
    warmup: { type: 'string', default: '20000' },
    mqtt: { type: 'string', default: 'mqtt://127.0.0.1:1883' },
    /** CPU profile of the HOM process (bench/results/profile). */
    profile: { type: 'boolean', default: false },
  },
});
const rounds = positiveInteger(flags.rounds, '--rounds');
const readings = positiveInteger(flags.readings, '--readings');
const machineCount = positiveInteger(flags.machines, '--machines');
const sensors = Array.from(
  { length: positiveInteger(flags.sensors, '--sensors') },
  (_, i) => `sensor_${i + 1}`,
);
const qos = flags.qos === '1' ? 1 : 0;
const warmup = Number(flags.warmup);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error('--warmup: a whole number ≥ 0');
const mqttUrl = flags.mqtt;

type Target = 'bare' | 'hom';
interface Sample {
  round: number;
  target: Target;
  /** Stored (HOM) or counted (bare). */
  readings: number;
  /** Published but never arrived (QoS 0: dropped by the broker for a subscriber that fell behind). */
  dropped: number;
  /** First publish → the last reading counted (bare) or committed (HOM). */
  seconds: number;
  perSecond: number;
  /** The publisher alone: first publish → last one written to its socket. */
  publishSeconds: number;
  cpu: Record<string, number>;
}

void runBench('bench:mqtt', async (cleanup) => {
  const run = randomBytes(3).toString('hex');
  const homRoot = `bench-hom-${run}`;
  const bareRoot = `bench-bare-${run}`;
  const clientId = `hom-bench-${run}`;
  const database = await startDatabase(cleanup, 'mqtt');
  const adminPassword = randomBytes(12).toString('base64url');
  const hom = await startHom(cleanup, database, {
    name: 'hom',
    roles: 'api,ingest',
    adminPassword,
    profile: flags.profile,
    env: {
      MQTT_URL: mqttUrl,
      MQTT_CLIENT_ID: clientId,
      MQTT_TOPICS: `${homRoot}/{site}/{machine}/{sensor}`,
      MQTT_RESULTS_TOPIC: 'off',
      MQTT_STATE_TOPIC: 'off',
      MQTT_COUNTER_TOPIC: 'off',
      MQTT_QOS: String(qos),
    },
  });
  cleanup.add('the persistent MQTT session', async () => {
    const client = await connectAsync(mqttUrl, {
      clientId,
      protocolVersion: 5,
      clean: true,
      reconnectPeriod: 0,
    });
    await client.endAsync();
  });
  const plant = await createPlant(hom.url, database, adminPassword, machineCount);
  const machines = plant.machines.map((m) => m.code);
  const env = { MQTT_URL: mqttUrl };
  const start = async (name: string, script: string) => {
    const child = cleanup.child(forkChild(name, script, env));
    await child.next<{ ready?: boolean }>((m) => m.ready === true, 30_000);
    return child;
  };
  const publisher = await start('publisher', 'bench/mqtt-publisher.ts');
  const bare = await start('bare subscriber', 'bench/mqtt-bare-subscriber.ts');
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  cleanup.add('owner connection', () => owner.end());
  // Counted from the per-minute rollup the writer updates in the same statement (a few rows, not a scan).
  const stored = async () =>
    Number(
      (await owner.query<{ n: string }>('select coalesce(sum(n), 0) as n from machine_readings_1m')).rows[0]
        ?.n,
    );
  const pids = {
    hom: hom.pid,
    postgres: postgresPid(database),
    mosquitto: pidListening(Number(new URL(mqttUrl).port || 1883)),
    publisher: publisher.process.pid,
    bare: bare.process.pid,
  };

  console.log(
    `${rounds} rounds × ${fmt(readings)} readings (${machineCount} machines × ${sensors.length} sensors, JSON, QoS ${qos}) on ${mqttUrl}`,
  );
  const baseMs = Date.now() - 3_600_000;
  let offset = 0;
  const publish = async (root: string, count: number) => {
    publisher.send({
      publish: { root, site: 'BENCH', machines, sensors, count, qos, baseMs: baseMs + offset },
    });
    offset += count;
    return publisher.next<{ published: number; startedAt: number; endedAt: number }>(
      (m) => typeof m.published === 'number',
      ROUND_TIMEOUT_MS,
    );
  };

  const samples: Sample[] = [];
  const measure = async (round: number, target: Target, total = readings): Promise<Sample> => {
    const cpu = cpuMeter(pids);
    let doneAt: number;
    let published: { startedAt: number; endedAt: number };
    let count = total;
    if (target === 'bare') {
      const filter = `${bareRoot}/${round}/#`;
      bare.send({ subscribe: filter, expect: total });
      await bare.next<{ subscribed?: string }>((m) => m.subscribed === filter, 30_000);
      const done = bare.next<{ done: number }>((m) => typeof m.done === 'number', ROUND_TIMEOUT_MS);
      published = await publish(`${bareRoot}/${round}`, total);
      doneAt = (await done).done;
    } else {
      // QoS 0: a broker drops what a slow subscriber cannot take (Mosquitto: beyond max_queued_messages),
      // so the round ends when all are stored or nothing more arrived for 3 s; the rate counts what was stored.
      const before = await stored();
      published = await publish(homRoot, total);
      const deadline = Date.now() + ROUND_TIMEOUT_MS;
      let last = { count: 0, at: published.startedAt };
      for (;;) {
        const now = Date.now();
        const count = (await stored()) - before;
        if (count > last.count) last = { count, at: now };
        if (count >= total || now - last.at > 3_000 || now > deadline) break;
        await sleep(25);
      }
      doneAt = last.at;
      count = last.count;
    }
    const seconds = (doneAt - published.startedAt) / 1000;
    return {
      round,
      target,
      readings: count,
      dropped: total - count,
      seconds,
      perSecond: count / seconds,
      publishSeconds: (published.endedAt - published.startedAt) / 1000,
      cpu: cpu(),
    };
  };

  if (warmup > 0) {
    for (const target of ['bare', 'hom'] as const) await measure(0, target, warmup);
    console.log(`warm-up: ${fmt(warmup)} readings to each subscriber (not counted)`);
  }
  for (let round = 1; round <= rounds; round += 1) {
    for (const target of round % 2 === 1 ? (['bare', 'hom'] as const) : (['hom', 'bare'] as const)) {
      const sample = await measure(round, target);
      samples.push(sample);
      console.log(
        `round ${round} ${target.padEnd(4)} ${fmt(sample.perSecond)} readings/s (${fmt(sample.seconds, 2)} s; publisher alone ${fmt(sample.publishSeconds, 2)} s${sample.dropped ? `; ${fmt(sample.dropped)} dropped by the broker` : ''})`,
      );
      await sleep(1_000);
    }
  }

  const medianOf = (target: Target) =>
    median(samples.filter((s) => s.target === target).map((s) => s.perSecond));
  const bareRate = medianOf('bare');
  const homRate = medianOf('hom');
  const ratio = homRate / bareRate;
  console.log(
    `\n${table(
      ['subscriber', 'median readings/s', 'rounds'],
      (['bare', 'hom'] as const).map((t) => [
        t === 'bare' ? 'bare mqtt.js (counts only)' : 'HOM → PostgreSQL',
        fmt(t === 'bare' ? bareRate : homRate),
        samples
          .filter((s) => s.target === t)
          .map((s) => fmt(s.perSecond))
          .join(' / '),
      ]),
    )}`,
  );
  const cpuRows = (['bare', 'hom'] as const).map((t) => {
    const of = samples.filter((s) => s.target === t);
    const per = (name: string) => fmt(median(of.map((s) => ((s.cpu[name] ?? 0) / s.readings) * 1e6)), 1);
    return [t, per('hom'), per('postgres'), per('mosquitto'), per('publisher'), per('bare')];
  });
  console.log(
    `\nCPU µs per reading (median): \n${table(['round of', 'hom', 'postgres', 'mosquitto', 'publisher', 'bare'], cpuRows)}`,
  );
  const meets = ratio >= GOAL_RATIO && homRate >= GOAL_RATE;
  console.log(
    `\nHOM / bare = ${fmt(ratio, 2)} (goal ≥ ${GOAL_RATIO}); HOM ${fmt(homRate)} readings/s (goal ≥ ${fmt(GOAL_RATE)}): ${meets ? 'meets the goal' : 'BELOW the goal'}`,
  );
  await writeResults(RESULTS_FILE, {
    at: new Date().toISOString(),
    machine: machineInfo(),
    settings: { rounds, readings, warmup, machines: machineCount, sensors: sensors.length, qos, mqttUrl },
    medians: { bare: bareRate, hom: homRate, ratio },
    goal: { ratio: GOAL_RATIO, perSecond: GOAL_RATE, meets },
    samples,
  });
  console.log(`results: ${path.relative(ROOT, RESULTS_FILE)}`);
});
