import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type HomServer } from '../../../app.ts';
import { createLogger } from '../../../platform/logger.ts';
import { TEST_SECRET } from '../../../../test/constants.ts';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  type MachineRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { MACHINE_CACHE_TTL_MS } from '../ingest.service.ts';
import { createQualityPipeline, type QualityPipeline } from '../pipeline/index.ts';

// The API key and machine caches of POST /ingest: a revoked key and a deactivated machine stop being
// accepted, in the process that made the change and in another one sharing the database.
let h: Harness;
let second: HomServer;
let secondPipeline: QualityPipeline;
let siteId: number;
let lineId: number;
let serial = 0;

const result = (machine: MachineRecord) => ({
  barcode: `CACHE-${process.pid}-${(serial += 1)}`,
  machine_id: machine.code,
  product_id: 'PROD-A',
  test_step: 'voltage_test',
  measured_value: 85,
  timestamp: new Date(Date.now() - 60_000).toISOString(),
});

type Target = 'first' | 'second';
async function ingest(target: Target, key: string, machine: MachineRecord): Promise<number> {
  const options = {
    method: 'POST' as const,
    url: '/ingest',
    headers: { 'x-api-key': key },
    payload: result(machine),
  };
  const response = target === 'first' ? await h.request(options) : await second.app.inject(options);
  return response.statusCode;
}

/** Milliseconds until `target` answers `status` (polling every 20 ms, at most `limitMs`). */
async function msUntil(status: number, limitMs: number, attempt: () => Promise<number>): Promise<number> {
  const started = Date.now();
  for (;;) {
    const got = await attempt();
    if (got === status) return Date.now() - started;
    if (Date.now() - started > limitMs) throw new Error(`still ${got} after ${limitMs} ms`);
    await sleep(20);
  }
}

beforeAll(async () => {
  h = await createHarness();
  siteId = (await buildSite(h, { time_zone: 'Europe/Berlin' })).id;
  lineId = (await buildLine(h, siteId)).id;
  const log = createLogger('silent');
  secondPipeline = createQualityPipeline({ db: h.db, log, roles: ['api', 'ingest', 'worker'] });
  second = await buildApp({
    config: {
      production: false,
      bodyLimitBytes: 1_048_576,
      trustProxy: false,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      webDist: path.resolve('web/dist'),
      filesDir: path.join(os.tmpdir(), `hom-test-files-${h.databaseName}`),
    },
    secret: TEST_SECRET,
    db: h.db,
    log,
    pipeline: secondPipeline,
    roles: ['api', 'ingest', 'worker'],
  });
});
afterAll(async () => {
  await second.app.close();
  await secondPipeline.close();
  await h.close();
});

describe('POST /ingest caches', () => {
  it('refuses a key revoked through the API at once, in this process and in another one', async () => {
    const machine = await buildMachine(h, lineId);
    const { id, key } = await buildApiKey(h, siteId);
    // Both processes have authenticated (and remembered) the key.
    for (const target of ['first', 'second', 'first', 'second'] as const) {
      expect(await ingest(target, key, machine)).toBe(202);
    }
    const revoked = await h.request({ method: 'POST', url: `/api-keys/${id}/revoke`, token: h.adminToken });
    expect(revoked.statusCode).toBe(200);
    // The revoking process forgot it before answering; the other hears the NOTIFY within milliseconds.
    expect(await ingest('first', key, machine)).toBe(401);
    const elapsed = await msUntil(401, 5_000, () => ingest('second', key, machine));
    expect(elapsed).toBeLessThan(5_000);
    expect(await ingest('second', key, machine)).toBe(401);
  });

  it('a key revoked for one process stays valid for the others’ keys (only that key is forgotten)', async () => {
    const machine = await buildMachine(h, lineId);
    const kept = await buildApiKey(h, siteId);
    const dropped = await buildApiKey(h, siteId);
    expect(await ingest('second', kept.key, machine)).toBe(202);
    expect(await ingest('second', dropped.key, machine)).toBe(202);
    await h.request({ method: 'POST', url: `/api-keys/${dropped.id}/revoke`, token: h.adminToken });
    await msUntil(401, 5_000, () => ingest('second', dropped.key, machine));
    expect(await ingest('second', kept.key, machine)).toBe(202);
  });

  it(`refuses a machine deactivated through the API within ${MACHINE_CACHE_TTL_MS} ms`, async () => {
    const machine = await buildMachine(h, lineId);
    const { key } = await buildApiKey(h, siteId);
    expect(await ingest('first', key, machine)).toBe(202);
    expect(await ingest('second', key, machine)).toBe(202);
    const off = await h.request({
      method: 'PATCH',
      url: `/machines/${machine.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(off.statusCode).toBe(200);
    const started = Date.now();
    for (const target of ['first', 'second'] as const) {
      await msUntil(422, MACHINE_CACHE_TTL_MS + 2_000, () => ingest(target, key, machine));
    }
    expect(Date.now() - started).toBeLessThanOrEqual(MACHINE_CACHE_TTL_MS + 2_000);
    // A new machine is accepted at once (codes not found are never remembered).
    const fresh = await buildMachine(h, lineId);
    expect(await ingest('first', key, fresh)).toBe(202);
  });
});
