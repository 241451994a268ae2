import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildApiKey,
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { errorCode, minutesAgo } from './readings.fixtures.ts';

let h: Harness;
let site: SiteRecord;
let otherSite: SiteRecord;
let siteKey: string;
let otherKey: string;
let planner: UserRecord;
let worker: UserRecord;

interface Reading {
  id: number;
  machine_id: number;
  reading_type: string;
  value: number;
  unit: string | null;
  timestamp: string;
  received_at: string;
}

async function newMachine(siteId = site.id): Promise<MachineRecord> {
  return buildMachine(h, (await buildLine(h, siteId)).id);
}

const post = (ref: string | number, payload: unknown, auth: { token?: string; key?: string } = {}) =>
  h.request({
    method: 'POST',
    url: `/machines/${ref}/readings`,
    ...(auth.key ? { headers: { 'x-api-key': auth.key } } : { token: auth.token ?? h.adminToken }),
    payload: payload as Record<string, unknown>,
  });

async function readingsOf(machineId: number, query = ''): Promise<Reading[]> {
  const response = await h.request({
    method: 'GET',
    url: `/machines/${machineId}/readings${query}`,
    token: h.adminToken,
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  siteKey = (await buildApiKey(h, site.id)).key;
  otherKey = (await buildApiKey(h, otherSite.id)).key;
  [planner, worker] = await Promise.all([
    buildUser(h, { role: 'planner', site_ids: [site.id] }),
    buildUser(h, { role: 'worker', site_ids: [site.id] }),
  ]);
});
afterAll(() => h.close());

describe('POST /machines/:id/readings', () => {
  it('one reading → 201 with the stored reading', async () => {
    const machine = await newMachine();
    const timestamp = minutesAgo(5);
    const response = await post(machine.id, {
      reading_type: 'Temperature',
      value: 212.5,
      unit: '°C',
      timestamp,
    });
    expect(response.statusCode).toBe(201);
    const reading = response.json();
    expect(reading).toMatchObject({
      machine_id: machine.id,
      reading_type: 'temperature',
      value: 212.5,
      unit: '°C',
      timestamp: new Date(timestamp).toISOString(),
    });
    expect(typeof reading.id).toBe('number');
    expect(Math.abs(new Date(reading.received_at).getTime() - Date.now())).toBeLessThan(10_000);
    expect(await readingsOf(machine.id)).toEqual([reading]);
  });

  it('without a timestamp takes now', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, { reading_type: 'speed', value: 1200 });
    expect(response.statusCode).toBe(201);
    expect(response.json().unit).toBeNull();
    expect(Math.abs(new Date(response.json().timestamp).getTime() - Date.now())).toBeLessThan(10_000);
  });

  it('an array → 201 {accepted, items}', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, [
      { reading_type: 'pressure', value: 101.3, unit: 'kPa', timestamp: minutesAgo(3) },
      { reading_type: 'pressure', value: 99.8, unit: 'kPa', timestamp: minutesAgo(2) },
      { reading_type: 'temperature', value: -4, timestamp: minutesAgo(1) },
    ]);
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body.accepted).toBe(3);
    expect(body.items.map((r: Reading) => r.value)).toEqual([101.3, 99.8, -4]);
    expect(body.items.every((r: Reading) => r.machine_id === machine.id)).toBe(true);
    expect(await readingsOf(machine.id)).toHaveLength(3);
  });

  it('an array of one is still answered as {accepted, items}', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, [{ reading_type: 'speed', value: 1 }]);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ accepted: 1, items: [{ value: 1 }] });
  });

  it('by machine code too, case-insensitively', async () => {
    const machine = await newMachine();
    const byCode = await post(machine.code, { reading_type: 'speed', value: 10 });
    expect(byCode.statusCode).toBe(201);
    expect(byCode.json().machine_id).toBe(machine.id);
    const lower = await post(machine.code.toLowerCase(), { reading_type: 'speed', value: 11 });
    expect(lower.statusCode).toBe(201);
    expect(lower.json().machine_id).toBe(machine.id);
    const listed = await h.request({
      method: 'GET',
      url: `/machines/${machine.code}/readings`,
      token: h.adminToken,
    });
    expect(listed.json().map((r: Reading) => r.value)).toEqual([11, 10]);
  });

  it.each([
    ['a string value', { reading_type: 'speed', value: '12' }],
    ['a null value', { reading_type: 'speed', value: null }],
    ['no value', { reading_type: 'speed' }],
    ['a boolean value', { reading_type: 'speed', value: true }],
    ['a malformed reading type', { reading_type: '9 speed', value: 1 }],
    ['a malformed timestamp', { reading_type: 'speed', value: 1, timestamp: 'now' }],
  ])('refuses %s with 422 and stores nothing', async (_name, payload) => {
    const machine = await newMachine();
    const response = await post(machine.id, payload);
    expect(response.statusCode).toBe(422);
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('refuses an array with one bad value and stores none of it', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, [
      { reading_type: 'speed', value: 1 },
      { reading_type: 'speed', value: 'fast' },
    ]);
    expect(response.statusCode).toBe(422);
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('refuses a timestamp more than 2 minutes ahead (422 INVALID_TIME), storing none of the batch', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, [
      { reading_type: 'speed', value: 1, timestamp: minutesAgo(1) },
      { reading_type: 'speed', value: 2, timestamp: minutesAgo(-10) },
    ]);
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({ error_code: 'INVALID_TIME', errors: [{ field: '1.timestamp' }] });
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('refuses an empty array and more than 1,000 readings', async () => {
    const machine = await newMachine();
    expect((await post(machine.id, [])).statusCode).toBe(422);
    const many = Array.from({ length: 1001 }, (_, i) => ({ reading_type: 'speed', value: i }));
    expect((await post(machine.id, many)).statusCode).toBe(422);
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('answers 404 MACHINE_NOT_FOUND for a machine that does not exist', async () => {
    const response = await post('NO-SUCH-MACHINE', { reading_type: 'speed', value: 1 });
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('MACHINE_NOT_FOUND');
  });
});

describe('who may post readings', () => {
  it('an API key of the machine’s site may', async () => {
    const machine = await newMachine();
    const response = await post(machine.id, { reading_type: 'temperature', value: 20 }, { key: siteKey });
    expect(response.statusCode).toBe(201);
    expect(response.json().machine_id).toBe(machine.id);
    const byCode = await post(machine.code, { reading_type: 'temperature', value: 21 }, { key: siteKey });
    expect(byCode.statusCode).toBe(201);
  });

  it('an API key of another site may not: it does not see the machine, nothing is stored', async () => {
    const machine = await newMachine();
    const byId = await post(machine.id, { reading_type: 'temperature', value: 20 }, { key: otherKey });
    expect(byId.statusCode).toBe(404);
    expect(errorCode(byId)).toBe('MACHINE_NOT_FOUND');
    const byCode = await post(machine.code, { reading_type: 'temperature', value: 20 }, { key: otherKey });
    expect(byCode.statusCode).toBe(404);
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('a planner (no ingest:write) gets 403 and nothing is stored', async () => {
    const machine = await newMachine();
    const response = await post(
      machine.id,
      { reading_type: 'temperature', value: 20 },
      { token: planner.token },
    );
    expect(response.statusCode).toBe(403);
    expect(errorCode(response)).toBe('FORBIDDEN');
    expect(await readingsOf(machine.id)).toEqual([]);
  });

  it('a worker gets 403 too, but may read the readings', async () => {
    const machine = await newMachine();
    await post(machine.id, { reading_type: 'speed', value: 3 });
    const refused = await post(machine.id, { reading_type: 'speed', value: 4 }, { token: worker.token });
    expect(refused.statusCode).toBe(403);
    const read = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/readings`,
      token: worker.token,
    });
    expect(read.statusCode).toBe(200);
    expect(read.json().map((r: Reading) => r.value)).toEqual([3]);
  });

  it('without credentials: 401', async () => {
    const machine = await newMachine();
    const response = await h.request({
      method: 'POST',
      url: `/machines/${machine.id}/readings`,
      payload: { reading_type: 'speed', value: 1 },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('GET /machines/:id/readings', () => {
  it('lists newest first, filtered by type and time, limited', async () => {
    const machine = await newMachine();
    const times = [50, 40, 30, 20, 10].map((m) => minutesAgo(m));
    // Sent out of order: the list follows the readings' own timestamps.
    await post(machine.id, [
      { reading_type: 'temperature', value: 3, timestamp: times[2] },
      { reading_type: 'temperature', value: 1, timestamp: times[0] },
      { reading_type: 'pressure', value: 5, timestamp: times[4] },
      { reading_type: 'temperature', value: 4, timestamp: times[3] },
      { reading_type: 'pressure', value: 2, timestamp: times[1] },
    ]);
    expect((await readingsOf(machine.id)).map((r) => r.value)).toEqual([5, 4, 3, 2, 1]);
    expect((await readingsOf(machine.id, '?reading_type=Temperature')).map((r) => r.value)).toEqual([
      4, 3, 1,
    ]);
    expect((await readingsOf(machine.id, '?limit=2')).map((r) => r.value)).toEqual([5, 4]);
    const window = `?from=${encodeURIComponent(times[1]!)}&to=${encodeURIComponent(times[3]!)}`;
    // [from, to): 2 and 3, not 4.
    expect((await readingsOf(machine.id, window)).map((r) => r.value)).toEqual([3, 2]);
  });

  it('shows only the machine’s own readings', async () => {
    const [one, two] = [await newMachine(), await newMachine()];
    await post(one.id, { reading_type: 'speed', value: 1 });
    await post(two.id, { reading_type: 'speed', value: 2 });
    expect((await readingsOf(one.id)).map((r) => r.value)).toEqual([1]);
  });

  it('hides another site’s machine from a member of this one', async () => {
    const foreign = await newMachine(otherSite.id);
    await post(foreign.id, { reading_type: 'speed', value: 1 });
    const response = await h.request({
      method: 'GET',
      url: `/machines/${foreign.id}/readings`,
      token: worker.token,
    });
    // The machine is invisible under row-level security, so it is not found.
    expect(response.statusCode).toBe(404);
    expect(errorCode(response)).toBe('MACHINE_NOT_FOUND');
  });
});
