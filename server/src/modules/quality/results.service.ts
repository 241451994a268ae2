import { requirePermission, requireSite, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { pageOf } from '../../platform/pagination.ts';
import type { ResultOutput } from './ingest.dto.ts';
import { invalidPeriod, resultScopeNotFound } from './quality.errors.ts';
import type { QualityMetricsInput, QualityMetricsOutput, ResultFilter } from './results.dto.ts';
import * as results from './results.repository.ts';

const DAY_MS = 86_400_000;
const MAX_BUCKETS = 5_000;

async function machineIds(tx: Tx, code: string | undefined): Promise<number[] | undefined> {
  if (!code) return undefined;
  const ids = await results.machineIdsByCode(tx, code);
  if (ids.length === 0) throw resultScopeNotFound(`No machine ${code} on your sites`);
  return ids;
}

/** Reading results back: lists, a machine's latest, pass-rate counts, one unit's trace. */
export function createResultService(deps: { db: Pick<Database, 'transaction'>; now?: () => Date }) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  function read<T>(request: RequestContext, work: (tx: Tx) => Promise<T>, siteId?: number): Promise<T> {
    const ctx = requirePermission(request, 'plant:read');
    if (siteId) requireSite(ctx, siteId);
    return db.transaction(scopeOf(ctx), work);
  }

  return {
    list: (request: RequestContext, filter: ResultFilter) =>
      read(
        request,
        async (tx) => {
          const rows = await results.listResults(tx, {
            ...filter,
            machine_ids: await machineIds(tx, filter.machine_id),
          });
          return pageOf(rows, filter.limit, (row) => ({
            measured_at: row.timestamp.toISOString(),
            id: row.id,
          }));
        },
        filter.site_id,
      ),

    /** The machine's latest result (null before its first). A number is the machine's id, else its code. */
    machineStatus: (request: RequestContext, machineRef: string) =>
      read(request, async (tx) => {
        const ids = /^[0-9]{1,15}$/.test(machineRef)
          ? [Number(machineRef), ...(await results.machineIdsByCode(tx, machineRef))]
          : await results.machineIdsByCode(tx, machineRef);
        for (const id of ids) {
          const machine = await tx
            .selectFrom('machines')
            .select(['id', 'code'])
            .where('id', '=', id)
            .executeTakeFirst();
          if (!machine) continue;
          const last = (await results.latestResult(tx, machine.id)) ?? null;
          return {
            machine_id: machine.code,
            machine_key: machine.id,
            last_result: last,
            last_verdict: last?.verdict ?? null,
            last_seen: last?.received_at ?? null,
          };
        }
        throw resultScopeNotFound(`No machine ${machineRef} on your sites`);
      }),

    metrics: (request: RequestContext, input: QualityMetricsInput): Promise<QualityMetricsOutput> =>
      read(
        request,
        async (tx) => {
          const to = input.to ?? now();
          const from = input.from ?? new Date(to.getTime() - DAY_MS);
          if (from.getTime() >= to.getTime()) {
            throw invalidPeriod('from must be before to', {
              errors: [{ field: 'to', message: 'must be after from' }],
            });
          }
          const span = (to.getTime() - from.getTime()) / (input.bucket === 'day' ? DAY_MS : DAY_MS / 24);
          if (input.bucket && span > MAX_BUCKETS) {
            throw invalidPeriod(
              `That is ${Math.ceil(span)} ${input.bucket}s; ask for at most ${MAX_BUCKETS}`,
              {
                errors: [{ field: 'bucket', message: 'too many buckets for the period' }],
              },
            );
          }
          const filter = { ...input, from, to, machine_ids: await machineIds(tx, input.machine_id) };
          const total = await results.countResults(tx, filter);
          if (!input.bucket) return { ...total, from, to };
          const zone = await siteZone(tx, input.site_id);
          return {
            ...total,
            from,
            to,
            buckets: await results.countResultsByBucket(tx, filter, input.bucket, zone),
          };
        },
        input.site_id,
      ),

    /** Every result of one serial number, across all stations, oldest first (traceability). */
    unit: (request: RequestContext, barcode: string) =>
      read(request, async (tx) => {
        const rows: ResultOutput[] = await results.resultsOfUnit(tx, barcode);
        if (rows.length === 0) throw resultScopeNotFound(`No results for unit ${barcode}`);
        const latest = new Map<string, ResultOutput>();
        for (const row of rows) latest.set(`${row.machine_id}/${row.test_step}`, row);
        const verdicts = [...latest.values()].map((row) => row.verdict);
        return {
          barcode,
          verdict: verdicts.includes('FAIL')
            ? 'FAIL'
            : verdicts.every((v) => v === 'PASS')
              ? 'PASS'
              : 'NO_LIMIT',
          first_seen: rows[0]?.timestamp ?? null,
          last_seen: rows.at(-1)?.timestamp ?? null,
          results: rows,
        };
      }),
  };
}

async function siteZone(tx: Tx, siteId: number | undefined): Promise<string> {
  if (!siteId) return 'UTC';
  const row = await tx.selectFrom('sites').select('time_zone').where('id', '=', siteId).executeTakeFirst();
  return row?.time_zone ?? 'UTC';
}
export type ResultService = ReturnType<typeof createResultService>;
