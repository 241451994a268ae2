import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { TEST_SECRET } from '../../../../test/constants.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { startHomProcess, stopHomProcess } from '../../../../test/process.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { RunningMqttIngest } from '../mqtt/mqtt.ingest.ts';
import {
  deadLettersAbout,
  forgetSession,
  publisher,
  readingsOf,
  SHARED_BROKER,
  startIngest,
  uniqueId,
  waitFor,
} from './mqtt.fixtures.ts';

/**
 * MQTT ingest against the machine's Mosquitto and a real PostgreSQL: readings (JSON and bare numbers),
 * results in the /ingest format, states and counters, refusals that never stop the adapter, and the
 * persistent session that keeps QoS 1 messages while HOM is away.
 */
let h: Harness;
let site: { id: number; code: string };
let machine: MachineRecord;
let other: MachineRecord;
let pub: MqttClient;
let ingest: RunningMqttIngest | undefined;
const root = uniqueId('hom-test');
const clientId = uniqueId('hom-ingest-test');
const topics = {
  readings: [`${root}/{site}/{machine}/{sensor}`],
  results: `${root}/{site}/{machine}/results`,
  state: `${root}/{site}/{machine}/state`,
  counter: `${root}/{site}/{machine}/counter/{kind}`,
};
const start = () => startIngest(h, { url: SHARED_BROKER, clientId, topics });
const topic = (sensor: string, m: MachineRecord = machine) => `${root}/${site.code}/${m.code}/${sensor}`;

beforeAll(async () => {
  h = await createHarness();
  site = await buildSite(h);
  const line = await buildLine(h, site.id);
  machine = await buildMachine(h, line.id);
  other = await buildMachine(h, line.id);
  pub = await publisher(SHARED_BROKER);
  ingest = start();
  await waitFor('the ingest to connect', async () => (ingest?.status().connected ? true : undefined));
});

afterAll(async () => {
  await ingest?.stop();
  await pub?.endAsync();
  await forgetSession(SHARED_BROKER, clientId);
  await h.close();
});

describe('MQTT ingest', () => {
  it('stores JSON and bare-number readings with their units; bare numbers are stamped on receipt', async () => {
    const before = Date.now();
    await pub.publishAsync(
      topic('Oil-Temp'),
      JSON.stringify({
        value: 81.2,
        unit: '°C',
        timestamp: '2026-05-04T10:00:00.250+02:00',
        note: 'ignored',
      }),
      { qos: 1 },
    );
    await pub.publishAsync(topic('pressure'), ' 4.5 ', { qos: 1 });
    await pub.publishAsync(topic('pressure'), '-1e-2', { qos: 0 });
    // A local time is read in the site's time zone (Europe/Berlin: +02:00 in May).
    await pub.publishAsync(
      topic('speed'),
      JSON.stringify({ value: 1200, timestamp: '2026-05-04T10:00:01' }),
      {
        qos: 1,
      },
    );
    const rows = await waitFor('four readings', async () => {
      const found = await readingsOf(h, machine.id);
      return found.length >= 4 ? found : undefined;
    });
    const byType = (type: string) => rows.filter((r) => r.reading_type === type);
    expect(byType('oil_temp')).toEqual([
      expect.objectContaining({ value: 81.2, unit: '°C', recorded_at: new Date('2026-05-04T08:00:00.250Z') }),
    ]);
    expect(byType('speed')).toEqual([
      expect.objectContaining({ value: 1200, unit: null, recorded_at: new Date('2026-05-04T08:00:01Z') }),
    ]);
    const pressure = byType('pressure');
    expect(pressure.map((r) => r.value).sort()).toEqual([-0.01, 4.5]);
    for (const reading of pressure) {
      expect(reading.unit).toBeNull();
      expect(reading.recorded_at.getTime()).toBeGreaterThanOrEqual(before - 5);
      expect(reading.recorded_at.getTime()).toBeLessThanOrEqual(Date.now() + 5);
    }
  });

  it('keeps readings of one sensor that arrive in the same millisecond apart (none lost as a duplicate)', async () => {
    const burst = Array.from({ length: 200 }, (_, i) => String(i));
    await Promise.all(burst.map((value) => pub.publishAsync(topic('burst', other), value, { qos: 1 })));
    const rows = await waitFor('200 burst readings', async () => {
      const found = (await readingsOf(h, other.id)).filter((r) => r.reading_type === 'burst');
      return found.length >= 200 ? found : undefined;
    });
    expect(rows.map((r) => r.value).sort((a, b) => a - b)).toEqual(burst.map(Number));
  });

  it('dead-letters bad topics and payloads, stores nothing of them, and keeps going', async () => {
    const marker = uniqueId('bad');
    const bad: [string, string][] = [
      [topic(`${marker}x`).replace(site.code, 'NO-SUCH-SITE'), '1'],
      [`${root}/${site.code}/NOPE${marker}/temp`, '2'],
      [topic(`9${marker}`), '3'], // a reading type must start with a letter
      [topic(`${marker}a`), 'hot'],
      [topic(`${marker}b`), JSON.stringify({ value: 'hot' })],
      [topic(`${marker}c`), JSON.stringify({ value: 1, timestamp: 'yesterday' })],
      [topic(`${marker}d`), JSON.stringify({ value: 1, timestamp: '2090-01-01T00:00:00Z' })],
      [topic(`${marker}e`), Buffer.from([0xff, 0x00, 0x7b]).toString('latin1')],
      [`${root}/${site.code}/${machine.code}/counter/${marker}`, '5'],
      [`${root}/${site.code}/${machine.code}/state`, `dancing-${marker}`],
    ];
    for (const [t, payload] of bad) await pub.publishAsync(t, payload, { qos: 1 });
    // Something good after the bad ones still arrives.
    await pub.publishAsync(topic(`${marker}ok`.toLowerCase()), '42', { qos: 1 });
    await waitFor('the good reading after the bad ones', async () =>
      (await readingsOf(h, machine.id)).some(
        (r) => r.reading_type === `${marker}ok`.toLowerCase().replaceAll('-', '_'),
      )
        ? true
        : undefined,
    );
    const letters = await waitFor('ten dead letters', async () => {
      const found = await deadLettersAbout(h, marker);
      return found.length >= 9 ? found : undefined;
    });
    const reasons = letters.map((l) => l.reason).join('\n');
    expect(reasons).toContain('no active machine');
    expect(reasons).toContain('starting with a letter');
    expect(reasons).toContain('neither a number nor JSON');
    expect(reasons).toContain('value: a number');
    expect(reasons).toContain('timestamp');
    expect(reasons).toContain('more than a day in the future');
    expect(reasons).toContain('is not cycle, good or reject');
    expect(reasons).toContain('is not one of running');
    const stored = (await readingsOf(h, machine.id)).filter((r) =>
      r.reading_type.includes(marker.replaceAll('-', '_')),
    );
    expect(stored.map((r) => r.value)).toEqual([42]);
    expect(ingest?.status().connected).toBe(true);
  });

  it('stores test results sent in the /ingest format, judged like POST /ingest', async () => {
    const barcode = uniqueId('SN');
    const result = { barcode, product_id: 'PROD-A', test_step: 'voltage', measured_value: 12.1, unit: 'V' };
    await pub.publishAsync(
      topic('results'),
      JSON.stringify([
        { ...result, timestamp: '2026-05-04T10:00:00Z' },
        { ...result, machine_id: machine.code.toLowerCase(), timestamp: '2026-05-04T10:01:00Z' },
      ]),
      { qos: 1 },
    );
    // Another machine's code in the body, and an invalid result: dead letters, nothing stored.
    await pub.publishAsync(
      topic('results'),
      JSON.stringify({ ...result, machine_id: other.code, timestamp: '2026-05-04T10:02:00Z' }),
      { qos: 1 },
    );
    await pub.publishAsync(
      topic('results'),
      JSON.stringify({
        ...result,
        barcode: `${barcode}-x`,
        measured_value: 'n/a',
        timestamp: '2026-05-04T10:03:00Z',
      }),
      { qos: 1 },
    );
    const rows = await waitFor('two test results', async () => {
      const found = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
        sql<{ barcode: string; machine_id: string; verdict: string; unit: string }>`
          select barcode, machine_id, verdict, unit from test_results where barcode like ${`${barcode}%`}`.execute(
          tx,
        ),
      );
      return found.rows.length >= 2 ? found.rows : undefined;
    });
    expect(rows).toHaveLength(2);
    expect(
      rows.every((r) => Number(r.machine_id) === machine.id && r.verdict === 'NO_LIMIT' && r.unit === 'V'),
    ).toBe(true);
    const letters = await waitFor('the refused results', async () => {
      const found = await deadLettersAbout(h, '/results:');
      return found.filter((l) => l.payload.includes(barcode)).length >= 2 ? found : undefined;
    });
    const reasons = letters.map((l) => l.reason).join('\n');
    expect(reasons).toContain("is not the topic's machine");
    expect(reasons).toContain('measured_value');
  });

  it('records machine states and counters', async () => {
    const state = `${root}/${site.code}/${other.code}/state`;
    const cycles = `${root}/${site.code}/${other.code}/counter/cycle`;
    await pub.publishAsync(state, JSON.stringify({ state: 'RUNNING', timestamp: '2026-05-04T08:00:00Z' }), {
      qos: 1,
    });
    await pub.publishAsync(cycles, JSON.stringify({ value: 100, timestamp: '2026-05-04T08:00:00Z' }), {
      qos: 1,
    });
    await pub.publishAsync(cycles, JSON.stringify({ value: 130, timestamp: '2026-05-04T08:10:00Z' }), {
      qos: 1,
    });
    await pub.publishAsync(state, JSON.stringify({ state: 'stopped', timestamp: '2026-05-04T08:10:00Z' }), {
      qos: 1,
    });
    const counts = await waitFor('two cycle counts and two states', async () => {
      const found = await h.db.transaction(SYSTEM_SCOPE, async (tx) => ({
        counts: (
          await sql<{ counter_value: string; delta: string }>`select counter_value, delta from machine_counts
            where machine_id = ${other.id} and kind = 'cycle' order by at`.execute(tx)
        ).rows,
        states: (
          await sql<{ state: string; source: string }>`select state, source from machine_states
            where machine_id = ${other.id} order by started_at`.execute(tx)
        ).rows,
      }));
      return found.counts.length >= 2 && found.states.length >= 2 ? found : undefined;
    });
    expect(counts.counts.map((c) => [Number(c.counter_value), Number(c.delta)])).toEqual([
      [100, 0],
      [130, 30],
    ]);
    expect(counts.states).toEqual([
      { state: 'running', source: 'mqtt' },
      { state: 'stopped', source: 'mqtt' },
    ]);
  });

  it('acknowledges nothing while PostgreSQL refuses writes, and stores everything once it is back', async () => {
    await ingest?.stop();
    let down = true;
    let failures = 0;
    const writer = h.server.modules.telemetry.readings.writer;
    const flaky = {
      write: (rows: Parameters<typeof writer.write>[0]) => {
        if (!down) return writer.write(rows);
        failures += 1;
        return Promise.reject(
          Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
        );
      },
    };
    const sensor = `outage_${Date.now()}`;
    const stored = async () => (await readingsOf(h, machine.id)).filter((r) => r.reading_type === sensor);
    const send = (from: number) =>
      Promise.all(
        Array.from({ length: 10 }, (_, i) => pub.publishAsync(topic(sensor), String(from + i), { qos: 1 })),
      );

    // The database comes back while HOM is running: the held batch is written, then acknowledged.
    ingest = startIngest(h, { url: SHARED_BROKER, clientId, topics }, undefined, flaky);
    await send(0);
    await waitFor('ten unacknowledged messages and a failed write', async () =>
      (ingest?.status().unacked ?? 0) >= 10 && failures > 0 ? true : undefined,
    );
    expect(await stored()).toEqual([]);
    expect(ingest?.status().connected).toBe(true);
    down = false;
    await waitFor('the ten readings', async () => ((await stored()).length >= 10 ? true : undefined));
    await waitFor('all acknowledged', async () => (ingest?.status().unacked === 0 ? true : undefined));

    // HOM stops while the database is away: the broker never got a PUBACK, so it delivers them again.
    down = true;
    await send(10);
    await waitFor('ten more unacknowledged', async () =>
      (ingest?.status().unacked ?? 0) >= 10 ? true : undefined,
    );
    await ingest?.stop();
    down = false;
    ingest = start();
    const rows = await waitFor('all twenty readings', async () => {
      const found = await stored();
      return found.length >= 20 ? found : undefined;
    });
    expect(rows.map((r) => r.value).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('keeps QoS 1 messages published while HOM is down (persistent session), each stored once', async () => {
    await ingest?.stop();
    ingest = undefined;
    const sensor = `offline_${Date.now()}`;
    const sent = Array.from({ length: 300 }, (_, i) => i);
    await Promise.all(sent.map((i) => pub.publishAsync(topic(sensor), String(i), { qos: 1 })));
    expect(
      await readingsOf(h, machine.id).then((rows) => rows.filter((r) => r.reading_type === sensor)),
    ).toEqual([]);
    ingest = start();
    const rows = await waitFor('the 300 readings sent while HOM was down', async () => {
      const found = (await readingsOf(h, machine.id)).filter((r) => r.reading_type === sensor);
      return found.length >= 300 ? found : undefined;
    });
    // Nothing comes twice, even a little later.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = (await readingsOf(h, machine.id)).filter((r) => r.reading_type === sensor);
    expect(again).toHaveLength(300);
    expect(rows.map((r) => r.value).sort((a, b) => a - b)).toEqual(sent);
  });
  it('runs in an ingest process started like npm start when MQTT_URL is set, with its metrics', async () => {
    const processRoot = `${root}-p`;
    const processClientId = uniqueId('hom-process');
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-mqtt-process-'));
    const hom = await startHomProcess({
      HOM_DATA_DIR: dataDir,
      DATABASE_URL: h.ownerUrl,
      HOM_SECRET: TEST_SECRET,
      HOM_ROLES: 'ingest',
      MQTT_URL: SHARED_BROKER,
      MQTT_CLIENT_ID: processClientId,
      MQTT_TOPICS: `${processRoot}/{site}/{machine}/{sensor}`,
    });
    try {
      await waitFor('hom_mqtt_connected 1 on /metrics', async () => {
        const metrics = await (await fetch(`${hom.url}/metrics`)).text();
        return /^hom_mqtt_connected\{[^}]*\} 1$/m.test(metrics) ? true : undefined;
      });
      await pub.publishAsync(`${processRoot}/${site.code}/${machine.code}/from_process`, '7.5', { qos: 1 });
      await waitFor('the reading the process stored', async () =>
        (await readingsOf(h, machine.id)).some((r) => r.reading_type === 'from_process' && r.value === 7.5)
          ? true
          : undefined,
      );
      const metrics = await (await fetch(`${hom.url}/metrics`)).text();
      expect(metrics).toMatch(/^hom_mqtt_messages_stored_total\{[^}]*\} [1-9]/m);
      expect(await stopHomProcess(hom)).toBe(0);
    } finally {
      await stopHomProcess(hom);
      await forgetSession(SHARED_BROKER, processClientId);
      await fs.rm(dataDir, { recursive: true, force: true });
    }
  });
});
