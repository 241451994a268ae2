import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { connectAsync, type MqttClient } from 'mqtt';
import type { Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import { createLogger } from '../../../platform/logger.ts';
import { freePort } from '../../../platform/net.ts';
import { startMqttIngest, type MqttIngestConfig, type MqttIngestDeps } from '../mqtt/mqtt.ingest.ts';

/** The machine's own Mosquitto (CI starts it); tests use topics and client ids of their own. */
export const SHARED_BROKER = 'mqtt://127.0.0.1:1883';

export const uniqueId = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** HOM's MQTT ingest on the harness's modules (what server.ts wires for the ingest role). */
export function startIngest(
  h: Harness,
  config: Partial<MqttIngestConfig> & { url: string; clientId: string; topics: MqttIngestConfig['topics'] },
  tuning?: MqttIngestDeps['tuning'],
  readings?: MqttIngestDeps['readings'],
) {
  const modules = h.server.modules;
  return startMqttIngest({
    config: { qos: 1, ...config },
    db: h.db,
    log: createLogger('silent'),
    readings: readings ?? modules.telemetry.readings.writer,
    signals: modules.telemetry.signals,
    results: modules.quality.ingest,
    tuning: { reconnectMs: 200, ...tuning },
  });
}

export function publisher(url: string, clientId = uniqueId('test-pub')): Promise<MqttClient> {
  return connectAsync(url, { clientId, protocolVersion: 5, reconnectPeriod: 0 });
}

/** Ends a persistent session on the broker (connect with a clean start and no expiry). */
export async function forgetSession(url: string, clientId: string): Promise<void> {
  const client = await connectAsync(url, { clientId, protocolVersion: 5, clean: true, reconnectPeriod: 0 });
  await client.endAsync();
}

export interface StoredReading {
  machine_id: number;
  reading_type: string;
  value: number;
  unit: string | null;
  recorded_at: Date;
}

export async function readingsOf(h: Harness, machineId: number): Promise<StoredReading[]> {
  const result = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    sql<StoredReading>`select machine_id::float8 as machine_id, reading_type, value, unit, recorded_at
      from machine_readings where machine_id = ${machineId} order by recorded_at, id`.execute(tx),
  );
  return result.rows;
}

export async function deadLettersAbout(
  h: Harness,
  text: string,
): Promise<{ reason: string; payload: string }[]> {
  const result = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
    sql<{ reason: string; payload: string }>`select reason, payload from ingest_dead_letters
      where source = 'mqtt' and reason like ${`%${text}%`} order by id`.execute(tx),
  );
  return result.rows;
}

/** A Mosquitto of the test's own, on a free port, keeping its sessions and queues on disk across restarts. */
export interface PrivateBroker {
  url: string;
  port: number;
  start(): Promise<void>;
  /** SIGTERM: Mosquitto saves its sessions and queued messages, then exits. */
  stop(): Promise<void>;
  remove(): Promise<void>;
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function createPrivateBroker(): Promise<PrivateBroker> {
  const port = await freePort();
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-mosquitto-'));
  // Mosquitto drops privileges to its own user when started as root: let it write its folder.
  await fs.chmod(dir, 0o777);
  const config = path.join(dir, 'mosquitto.conf');
  await fs.writeFile(
    config,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence true',
      `persistence_location ${dir}/`,
      // Every QoS 1 message kept for a session, however many (the default drops beyond 1,000).
      'max_queued_messages 0',
      'log_dest none',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  async function stop(): Promise<void> {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    async start() {
      child = spawn('mosquitto', ['-c', config], { stdio: 'ignore' });
      await waitFor(
        'the private Mosquitto to listen',
        async () => ((await portOpen(port)) ? true : undefined),
        15_000,
      );
    },
    stop,
    async remove() {
      await stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
