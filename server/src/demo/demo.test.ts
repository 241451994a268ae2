import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../test/harness.ts';
import { createLogger } from '../platform/logger.ts';
import { generatePlant, type DemoOptions } from './generator.ts';
import { seedDemo, type SeedCounts } from './seed.ts';

const log = createLogger('silent');
const end = new Date();
const small: Partial<DemoOptions> = {
  seed: 7,
  sites: 2,
  linesPerSite: 2,
  machines: 4,
  years: 30 / 365.25,
  end,
};

let h: Harness;
let counts: SeedCounts | null;
beforeAll(async () => {
  h = await createHarness();
  counts = await seedDemo({ ownerUrl: h.ownerUrl, log, plant: small, batchSize: 50 });
});
afterAll(() => h?.close());

async function owner<T extends pg.QueryResultRow>(text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: h.ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('hom.all_sites', 'on', true)`);
    return (await client.query<T>(text)).rows;
  } finally {
    await client.query('rollback');
    await client.end();
  }
}

describe('the demo generator', () => {
  it('gives the same plant for the same seed and end', () => {
    const first = [...generatePlant(small).histories()].map((h) => h.downtimes);
    const second = [...generatePlant(small).histories()].map((h) => h.downtimes);
    expect(second).toEqual(first);
    expect(first.flat().length).toBeGreaterThan(50);
  });
});

describe('the demo seeder', () => {
  it('fills an empty database once, and only once', async () => {
    expect(counts).toMatchObject({ sites: 2, lines: 4, machines: 4 });
    expect(counts!.downtimes).toBeGreaterThan(50);
    expect(counts!.repairs).toBeGreaterThan(0);
    expect(await seedDemo({ ownerUrl: h.ownerUrl, log, plant: small })).toBeNull();
  });

  it('answers through the REST API with the seeded plant', async () => {
    const get = async (url: string) => {
      const response = await h.request({ method: 'GET', url, token: h.adminToken });
      expect(response.statusCode, `${url}: ${response.body}`).toBe(200);
      return response.json();
    };
    const lines = await get('/lines');
    expect(lines.map((line: { code: string }) => line.code).sort()).toEqual([
      'ASM-1',
      'ASM-2',
      'IM-1',
      'IM-2',
    ]);
    const machines = await get('/machines');
    expect(machines).toHaveLength(4);
    expect(machines.filter((m: { status: string }) => m.status !== 'operational')).toHaveLength(1);

    const stops = await get(`/downtimes?line_id=${lines[0].id}&limit=10`);
    expect(stops.items).toHaveLength(10);
    expect(stops.next_cursor).not.toBeNull();
    const open = await get('/downtimes?open=true');
    expect(open.items).toHaveLength(1);

    const repairs = await get('/repairs?limit=200');
    expect(repairs.items.length).toBe(Math.min(counts!.repairs, 200));
    const closed = repairs.items.find((r: { status: string }) => r.status === 'closed');
    expect(closed.actions_taken).toBeTruthy();
    expect(closed.technicians.length).toBeGreaterThan(0);
    expect(closed.downtime_id).not.toBeNull();

    const from = new Date(end.getTime() - 30 * 86_400_000).toISOString();
    const kpis = await get(`/kpis?line_id=${lines[0].id}&from=${from}&to=${end.toISOString()}`);
    expect(kpis.downtime.count).toBeGreaterThan(0);
    expect(kpis.availability).toBeGreaterThan(0.5);
    expect(kpis.availability).toBeLessThan(1);
  });

  it('leaves no machine with overlapping stops, nor two open ones', async () => {
    const overlaps = await owner<{ n: number }>(`
      select count(*)::int as n from downtimes a join downtimes b
        on a.machine_id = b.machine_id and a.id < b.id
       and tstzrange(a.start_at, a.end_at, '[)') && tstzrange(b.start_at, b.end_at, '[)')`);
    expect(overlaps[0]?.n).toBe(0);
    const links = await owner<{ n: number }>(`
      select count(*)::int as n from repairs r join downtimes d on d.id = r.downtime_id
      where r.machine_id <> d.machine_id or r.start_at < d.start_at`);
    expect(links[0]?.n).toBe(0);
    const people = await owner<{ active: number }>(
      `select count(*)::int as active from users where username like 'demo.%' and is_active`,
    );
    expect(people[0]?.active).toBe(0);
  });
});
