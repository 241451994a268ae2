/**
 * EXPLAIN (ANALYZE, BUFFERS) of the exact SQL HOM runs for a benchmark target: the service or repository
 * function is called with a Kysely whose "pool" explains each statement, then runs it, inside a transaction
 * of the application role scoped like an admin's request (row-level security included).
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { listDowntimes } from '../server/src/modules/maintenance/downtime.repository.ts';
import { listRepairs } from '../server/src/modules/maintenance/repair.repository.ts';
import { createKpiService } from '../server/src/modules/kpi/kpi.service.ts';
import { systemContext } from '../server/src/platform/auth/actor.ts';
import type { Scope, Tx } from '../server/src/platform/db/database.ts';
import type { Plant } from './kpi-measure.ts';

export interface Explained {
  target: string;
  sql: string;
  plan: string[];
}

type Work = (tx: Tx) => Promise<unknown>;

export function explainWork(plant: Plant, now: Date): Record<string, Work> {
  const from = new Date(now);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const lineId = plant.lineIds[0]!;
  const cursor = plant.deepCursors.get(lineId);
  const decoded = cursor
    ? (JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { start_at: string; id: number })
    : null;
  return {
    'KPIs, a line over a year': (tx) => {
      const db = { transaction: <T>(_scope: Scope, work: (tx: Tx) => Promise<T>) => work(tx) };
      const kpi = createKpiService({ db, clock: () => now });
      return kpi.kpis(systemContext('bench'), { line_id: lineId }, { from, to: now });
    },
    'downtimes of a line, page 1': (tx) => listDowntimes(tx, { line_id: lineId, limit: 50 }),
    'downtimes of a line, deep page': (tx) =>
      listDowntimes(tx, {
        line_id: lineId,
        limit: 50,
        cursor: decoded ? { start_at: new Date(decoded.start_at), id: decoded.id } : undefined,
      }),
    'repairs of a machine, page 1': (tx) => listRepairs(tx, { machine_id: plant.machineIds[0]!, limit: 50 }),
    'repairs of a site, q=bearing': (tx) =>
      listRepairs(tx, { site_id: plant.siteIds[0]!, q: 'bearing', limit: 50 }),
  };
}

export async function explain(appUrl: string, target: string, work: Work): Promise<Explained[]> {
  const client = new pg.Client({ connectionString: appUrl });
  await client.connect();
  const explained: Explained[] = [];
  const fakePool = {
    connect: async () => ({
      query: async (text: string, values: unknown[]) => {
        const plan = await client.query<{ 'QUERY PLAN': string }>(
          `explain (analyze, buffers) ${text}`,
          values,
        );
        explained.push({ target, sql: text, plan: plan.rows.map((row) => row['QUERY PLAN']) });
        return client.query(text, values);
      },
      release: () => undefined,
    }),
    end: async () => undefined,
  };
  const db = new Kysely<never>({ dialect: new PostgresDialect({ pool: fakePool as unknown as pg.Pool }) });
  try {
    // As an admin's request: the app role, every site visible.
    await client.query(`begin; select set_config('hom.all_sites', 'on', true)`);
    await work(db as unknown as Tx);
    await client.query('rollback');
  } finally {
    await db.destroy();
    await client.end();
  }
  return explained;
}

/** The lines of a plan worth reading: nodes with times and rows, index conditions, totals (not RLS filters). */
export function keyLines(plan: string[]): string[] {
  return plan.filter(
    (line) =>
      /->|^\S|Index Cond|Rows Removed|Sort Method|Execution Time|Planning Time/.test(line) &&
      !line.includes('current_setting'),
  );
}
