import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RaiseNotificationInput } from '../actions/index.ts';
import type { StoredResult } from './results.writer.ts';

export const DEFAULT_RULE = { consecutive_fails: 3, min_pass_rate: 90, min_sample: 20 };
const MAX_PAIRS_PER_CHECK = 500;
const HOUR_MS = 3_600_000;
/**
 * A check starts at most this long after the previous one started: under a steady stream every pair
 * would otherwise be checked again after every stored batch, each check counting the pair's last hour
 * of results (it cost PostgreSQL three times the insert itself). The bound on an alert's delay.
 */
export const MIN_CHECK_INTERVAL_MS = 1_000;

interface PairState {
  site_id: number;
  machine_id: number;
  machine_code: string;
  test_step: string;
  consecutive_fails: number;
  min_pass_rate: number;
  min_sample: number;
  /** The latest `consecutive_fails` results are all FAIL. */
  failing: boolean;
  hour_judged: number;
  hour_pass: number;
  /** Alert kinds open (not cleared) for this machine × step when the check read its state. */
  open_kinds: string[];
}

type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;

/**
 * The quality reaction: after results are stored, each machine × step they touch is checked against
 * its site's rule. N consecutive FAILs, or a pass rate under the threshold over the last hour (once at
 * least min_sample results were judged), raises one alert (dashboard + in-app notification); the alert
 * clears by itself when the condition no longer holds. Checks run one at a time, off the ingest path,
 * at most one per MIN_CHECK_INTERVAL_MS: batches arriving meanwhile are merged into the next check.
 */
export function createAlertEvaluator(deps: {
  db: Pick<Database, 'transaction'>;
  notify: Notify;
  log: Logger;
  now?: () => Date;
  /** Milliseconds from one check's start to the next one's at the least (default MIN_CHECK_INTERVAL_MS). */
  minCheckIntervalMs?: number;
  /** Called in the raising transaction for each new alert (the wiring raises an action item). */
  onRaised?: (
    tx: Tx,
    alert: {
      id: number;
      site_id: number;
      machine_id: number;
      test_step: string;
      kind: string;
      message: string;
    },
  ) => Promise<unknown>;
}) {
  const now = deps.now ?? (() => new Date());
  const minInterval = deps.minCheckIntervalMs ?? MIN_CHECK_INTERVAL_MS;
  let pending = new Map<string, { machine_id: number; test_step: string; machine_code: string }>();
  let running: Promise<void> | null = null;

  async function check(
    pairs: { machine_id: number; test_step: string; machine_code: string }[],
  ): Promise<void> {
    const since = new Date(now().getTime() - HOUR_MS);
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      const states = await sql<PairState>`
        select m.site_id, p.machine_id, p.machine_code, p.test_step,
          coalesce(r.consecutive_fails, ${DEFAULT_RULE.consecutive_fails}) as consecutive_fails,
          coalesce(r.min_pass_rate, ${DEFAULT_RULE.min_pass_rate})::float8 as min_pass_rate,
          coalesce(r.min_sample, ${DEFAULT_RULE.min_sample}) as min_sample,
          (select count(*) = coalesce(r.consecutive_fails, ${DEFAULT_RULE.consecutive_fails}) and bool_and(x.verdict = 'FAIL')
             from (select t.verdict from test_results t where t.machine_id = p.machine_id and t.test_step = p.test_step
                   order by t.measured_at desc limit coalesce(r.consecutive_fails, ${DEFAULT_RULE.consecutive_fails})) x) as failing,
          h.judged::int as hour_judged, h.pass::int as hour_pass,
          array(select a.kind from quality_alerts a
                where a.machine_id = p.machine_id and a.test_step = p.test_step and a.cleared_at is null) as open_kinds
        from unnest(${pairs.map((p) => p.machine_id)}::bigint[], ${pairs.map((p) => p.test_step)}::text[],
                    ${pairs.map((p) => p.machine_code)}::text[]) as p (machine_id, test_step, machine_code)
        join machines m on m.id = p.machine_id
        left join quality_alert_rules r on r.site_id = m.site_id
        cross join lateral (
          select count(*) filter (where t.verdict <> 'NO_LIMIT') as judged, count(*) filter (where t.verdict = 'PASS') as pass
          from test_results t where t.machine_id = p.machine_id and t.test_step = p.test_step and t.measured_at >= ${since}) h`.execute(
        tx,
      );
      for (const state of states.rows) {
        await settle(
          tx,
          state,
          'consecutive_fails',
          state.failing,
          `${state.machine_code} · ${state.test_step}: ${state.consecutive_fails} FAILs in a row`,
        );
        const rate = state.hour_judged > 0 ? (state.hour_pass / state.hour_judged) * 100 : null;
        const low = rate !== null && state.hour_judged >= state.min_sample && rate < state.min_pass_rate;
        await settle(
          tx,
          state,
          'low_pass_rate',
          low,
          `${state.machine_code} · ${state.test_step}: pass rate ${rate?.toFixed(1) ?? '–'} % in the last hour (under ${state.min_pass_rate} %)`,
        );
      }
    });
  }

  async function settle(
    tx: Tx,
    state: PairState,
    kind: 'consecutive_fails' | 'low_pass_rate',
    active: boolean,
    message: string,
  ) {
    if (!active) {
      // Nothing to clear when no alert of this kind was open: the usual case, no statement.
      if (!state.open_kinds.includes(kind)) return;
      await sql`update quality_alerts set cleared_at = now()
        where machine_id = ${state.machine_id} and test_step = ${state.test_step} and kind = ${kind} and cleared_at is null`.execute(
        tx,
      );
      return;
    }
    // Already open: the insert below would do nothing.
    if (state.open_kinds.includes(kind)) return;
    const raised = await sql<{ id: number }>`
      insert into quality_alerts (site_id, machine_id, test_step, kind, message)
      values (${state.site_id}, ${state.machine_id}, ${state.test_step}, ${kind}, ${message})
      on conflict (machine_id, test_step, kind) where cleared_at is null do nothing
      returning id`.execute(tx);
    const alert = raised.rows[0];
    if (!alert) return;
    await deps.notify(tx, {
      kind: 'quality_alert',
      title: message,
      link: '/app/quality',
      site_id: state.site_id,
      data: { alert_id: alert.id, machine_id: state.machine_id, test_step: state.test_step, kind },
      recipients: { roles: ['admin', 'manager', 'technician'] },
    });
    await deps.onRaised?.(tx, {
      id: alert.id,
      site_id: state.site_id,
      machine_id: state.machine_id,
      test_step: state.test_step,
      kind,
      message,
    });
  }

  let lastCheckAt = 0;

  async function loop(): Promise<void> {
    while (pending.size > 0) {
      const wait = lastCheckAt + minInterval - Date.now();
      if (wait > 0) await sleep(wait);
      lastCheckAt = Date.now();
      const batch = [...pending.values()].slice(0, MAX_PAIRS_PER_CHECK);
      for (const pair of batch) pending.delete(`${pair.machine_id}\u0000${pair.test_step}`);
      try {
        await check(batch);
      } catch (error) {
        deps.log.warn({ err: error }, 'quality alert check failed; the next results check again');
      }
    }
  }

  return {
    /** Notes the machine × step pairs of stored results; the check follows asynchronously. */
    onStored(results: readonly StoredResult[]): void {
      for (const result of results) {
        pending.set(`${result.machine_id}\u0000${result.test_step}`, {
          machine_id: result.machine_id,
          test_step: result.test_step,
          machine_code: result.machine_code,
        });
      }
      if (!running) {
        running = loop().finally(() => {
          running = null;
        });
      }
    },
    /** Resolves when every noted pair has been checked (shutdown, tests). */
    async idle(): Promise<void> {
      while (running) await running;
    },
    reset(): void {
      pending = new Map();
    },
  };
}
export type AlertEvaluator = ReturnType<typeof createAlertEvaluator>;
