import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SHARED_BROKER,
  forgetSession,
  publisher,
  readingsOf,
  uniqueId,
  waitFor,
} from '../src/modules/telemetry/tests/mqtt.fixtures.ts';
import { SYSTEM_SCOPE } from '../src/platform/db/database.ts';
import { TEST_SECRET } from './constants.ts';
import { buildLine, buildMachine, buildSite, type MachineRecord } from './factories.ts';
import { createHarness, type Harness } from './harness.ts';
import { startSimulatedMachine, type SimulatedMachine } from './opcua-sim.ts';
import { startHomProcess, stopHomProcess, type HomProcess } from './process.ts';

/**
 * Two ingest processes started like `npm start` (HOM_ROLES=ingest) on one database: one runs the
 * OPC-UA and MQTT adapters, the other waits. The OPC-UA server sees one HOM session, the broker one
 * client; when the leader is killed, the other takes over and data keeps coming in.
 */
let h: Harness;
let sim: SimulatedMachine;
let site: { id: number; code: string };
let machine: MachineRecord;
let pub: MqttClient;
const processes: HomProcess[] = [];
const dirs: string[] = [];
const root = uniqueId('hom-leader');
const clientId = uniqueId('hom-leader');

beforeAll(async () => {
  [h, sim] = await Promise.all([createHarness(), startSimulatedMachine({ cycleMs: 200 })]);
  site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
  const put = await h.request({
    method: 'PUT',
    url: `/machines/${machine.id}/opcua`,
    token: h.adminToken,
    payload: { endpoint_url: sim.url, cycle_node_id: sim.nodeIds.cycle, state_node_id: sim.nodeIds.state },
  });
  expect(put.statusCode, put.body).toBe(201);
  pub = await publisher(SHARED_BROKER);
}, 90_000);

afterAll(async () => {
  await Promise.all(processes.map((p) => stopHomProcess(p)));
  await pub?.endAsync();
  await forgetSession(SHARED_BROKER, clientId).catch(() => undefined);
  await Promise.all([h?.close(), sim?.stop()]);
  await Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
}, 60_000);

async function startIngestProcess(): Promise<HomProcess> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-leader-'));
  dirs.push(dataDir);
  const hom = await startHomProcess({
    HOM_DATA_DIR: dataDir,
    DATABASE_URL: h.ownerUrl,
    HOM_SECRET: TEST_SECRET,
    HOM_ROLES: 'ingest',
    MQTT_URL: SHARED_BROKER,
    MQTT_CLIENT_ID: clientId,
    MQTT_TOPICS: `${root}/{site}/{machine}/{sensor}`,
  });
  processes.push(hom);
  return hom;
}

const leading = async (hom: HomProcess) => {
  const metrics = await (await fetch(`${hom.url}/metrics`)).text();
  return /^hom_ingest_adapters_leading(\{[^}]*\})? 1$/m.test(metrics);
};
const countsSince = async (since: Date) => {
  const result = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    sql<{ n: number }>`select count(*)::int as n from machine_counts
      where machine_id = ${machine.id} and at > ${since}`.execute(tx),
  );
  return result.rows[0]?.n ?? 0;
};
const reading = (sensor: string, value: number) =>
  pub.publishAsync(`${root}/${site.code}/${machine.code}/${sensor}`, String(value), { qos: 1 });
const stored = (sensor: string, value: number) =>
  waitFor(`reading ${sensor}=${value}`, async () =>
    (await readingsOf(h, machine.id)).some((r) => r.reading_type === sensor && r.value === value)
      ? true
      : undefined,
  );

describe('two ingest processes', () => {
  it('run the adapters in one of them, and in the other once the first is killed', async () => {
    const first = await startIngestProcess();
    await waitFor('the first to lead', async () => ((await leading(first)) ? true : undefined));
    await waitFor('its OPC-UA session', async () => (sim.sessions() === 1 ? true : undefined));
    const second = await startIngestProcess();
    // The second waits: still one session on the server, and the first stores what arrives.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await leading(second)).toBe(false);
    expect(await leading(first)).toBe(true);
    expect(sim.sessions()).toBe(1);
    await reading('before_kill', 1);
    await stored('before_kill', 1);

    await stopHomProcess(first, 'SIGKILL');
    const killedAt = new Date();
    await waitFor('the second to lead', async () => ((await leading(second)) ? true : undefined), 30_000);
    await waitFor(
      'counter values stored by the second',
      async () => ((await countsSince(killedAt)) > 0 ? true : undefined),
      30_000,
    );
    await reading('after_kill', 2);
    await stored('after_kill', 2);
    expect(second.output()).toContain('this process leads');
  }, 120_000);
});
