/** Latency of one request at a time (not throughput): percentiles, the results table, the targets. */
import pg from 'pg';
import { encodeCursor } from '../server/src/platform/pagination.ts';

export interface Target {
  name: string;
  /** p95 goal in milliseconds; none for the baseline. */
  goalMs: number | null;
  /** The i-th request's path and query. */
  path(i: number): string;
}

export interface Measured {
  name: string;
  goalMs: number | null;
  requests: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  met: boolean | null;
  example: string;
}

/** Ids the requests rotate over, read as the owner (every site). */
export interface Plant {
  siteIds: number[];
  lineIds: number[];
  /** Per line, a cursor 10,000 stops deep (or half-way): a page a user reaches by scrolling far back. */
  deepCursors: Map<number, string>;
  machineIds: number[];
}

export async function readPlant(ownerUrl: string): Promise<Plant> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(`select set_config('hom.all_sites', 'on', true)`);
    const ids = async (text: string) =>
      (await client.query<{ id: string }>(text)).rows.map((r) => Number(r.id));
    const siteIds = await ids('select id from sites order by id');
    const lineIds = await ids('select id from lines order by id');
    const machineIds = await ids('select id from machines order by id');
    const deepCursors = new Map<number, string>();
    for (const lineId of lineIds) {
      const { rows } = await client.query<{ start_at: Date; id: string }>(
        `select d.start_at, d.id from downtimes d join machines m on m.id = d.machine_id
         where m.line_id = $1 order by d.start_at desc, d.id desc
         offset least(10000, (select count(*) / 2 from downtimes x join machines y on y.id = x.machine_id
           where y.line_id = $1)) limit 1`,
        [lineId],
      );
      const row = rows[0];
      if (row) deepCursors.set(lineId, encodeCursor({ start_at: row.start_at, id: Number(row.id) }));
    }
    await client.query('commit');
    return { siteIds, lineIds, deepCursors, machineIds };
  } finally {
    await client.end();
  }
}

export function targetsFor(plant: Plant, now: Date): Target[] {
  const from = new Date(now);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const period = `from=${from.toISOString()}&to=${now.toISOString()}`;
  const at = <T>(items: readonly T[], i: number) => items[i % items.length]!;
  const deep = [...plant.deepCursors.entries()];
  return [
    { name: 'baseline: GET /health/live', goalMs: null, path: () => '/health/live' },
    {
      name: 'KPIs, a line over a year',
      goalMs: 200,
      path: (i) => `/kpis?line_id=${at(plant.lineIds, i)}&${period}`,
    },
    {
      name: 'downtimes of a line, page 1',
      goalMs: 50,
      path: (i) => `/downtimes?line_id=${at(plant.lineIds, i)}&limit=50`,
    },
    {
      name: 'downtimes of a line, deep page',
      goalMs: 50,
      path: (i) => {
        const [lineId, cursor] = at(deep, i);
        return `/downtimes?line_id=${lineId}&limit=50&cursor=${cursor}`;
      },
    },
    {
      name: 'repairs of a machine, page 1',
      goalMs: 50,
      path: (i) => `/repairs?machine_id=${at(plant.machineIds, i * 7)}&limit=50`,
    },
    {
      name: 'repairs of a site, q=bearing',
      goalMs: 50,
      path: (i) => `/repairs?site_id=${at(plant.siteIds, i)}&q=bearing&limit=50`,
    },
  ];
}

/** `warmup` unmeasured requests, then `requests` measured ones, strictly one after the other. */
export async function measure(
  baseUrl: string,
  target: Target,
  token: () => Promise<string>,
  options: { requests: number; warmup: number },
): Promise<Measured> {
  const times: number[] = [];
  for (let i = 0; i < options.warmup + options.requests; i += 1) {
    const headers = { authorization: `Bearer ${await token()}` };
    const started = performance.now();
    const response = await fetch(new URL(target.path(i), baseUrl), {
      headers,
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    const elapsed = performance.now() - started;
    if (!response.ok)
      throw new Error(`${target.path(i)} answered HTTP ${response.status}: ${body.slice(0, 300)}`);
    if (i >= options.warmup) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    round(times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!);
  const p95 = pct(95);
  return {
    name: target.name,
    goalMs: target.goalMs,
    requests: times.length,
    p50: pct(50),
    p95,
    p99: pct(99),
    max: round(times.at(-1)!),
    met: target.goalMs === null ? null : p95 <= target.goalMs,
    example: target.path(0),
  };
}

export function table(results: Measured[]): string {
  const rows = results.map((r) => [
    r.name,
    r.p50.toFixed(1),
    r.p95.toFixed(1),
    r.p99.toFixed(1),
    r.max.toFixed(1),
    r.goalMs === null ? '' : `≤ ${r.goalMs}`,
    r.met === null ? '' : r.met ? 'meets goal' : 'MISSES GOAL',
  ]);
  const head = ['target (ms)', 'p50', 'p95', 'p99', 'max', 'goal p95', 'verdict'];
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(head), ...rows.map(line)].join('\n');
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
