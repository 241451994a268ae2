import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_SCOPE, type Database, type Tx } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import type { RaiseNotificationInput } from '../actions/index.ts';
import { checkStaleReadings, type StaleMarker } from './reading.stale.ts';
import { openStaleOfReadings } from './reading.stale.repository.ts';
import type { StoredPair } from './reading.types.ts';
import * as thresholds from './threshold.repository.ts';

/** A check starts at most this often: batches stored meanwhile are merged into the next one. */
export const MIN_CHECK_INTERVAL_MS = 1_000;
/** Thresholds and the machines with stale readings are read again after this long. */
export const CACHE_TTL_MS = 5_000;
/** An alert that closed less than this long ago reopens instead of raising a new notification. */
export const REOPEN_WITHIN_MS = 5 * 60_000;
const MAX_PAIRS_PER_CHECK = 500;

type Notify = (tx: Tx, input: RaiseNotificationInput) => Promise<number>;

interface Pending {
  site_id: number;
  machine_id: number;
  reading_type: string;
  min: number;
  max: number;
  first_at: Date;
}

const keyOf = (pair: { machine_id: number; reading_type: string }) =>
  `${pair.machine_id}\u0000${pair.reading_type}`;

/**
 * What follows a stored batch, off the ingest path: each machine × type it touched is checked against
 * its thresholds (an alert opens with an in-app notification when a value went beyond, and closes when
 * the latest value is back within), and a machine whose readings were stale gets its stale period
 * ended. At most one check per MIN_CHECK_INTERVAL_MS, so 20,000 readings a second cost one check a
 * second, over only the pairs that have thresholds.
 */
export function createReadingChecks(deps: {
  db: Pick<Database, 'transaction'>;
  log: Logger;
  notify: Notify;
  signals: StaleMarker;
  minCheckIntervalMs?: number;
}) {
  const minInterval = deps.minCheckIntervalMs ?? MIN_CHECK_INTERVAL_MS;
  let pending = new Map<string, Pending>();
  let running: Promise<void> | null = null;
  let lastCheckAt = 0;
  let limits = new Map<string, thresholds.Limits>();
  let limitsReadAt = -Infinity;
  let staleMachines = new Set<number>();
  let staleReadAt = -Infinity;

  async function refreshCaches(): Promise<void> {
    const now = Date.now();
    if (now - limitsReadAt < CACHE_TTL_MS && now - staleReadAt < CACHE_TTL_MS) return;
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      if (now - limitsReadAt >= CACHE_TTL_MS) {
        limits = new Map((await thresholds.allLimits(tx)).map((row) => [keyOf(row), row]));
        limitsReadAt = now;
      }
      if (now - staleReadAt >= CACHE_TTL_MS) {
        staleMachines = new Set((await openStaleOfReadings(tx)).map((row) => row.machine_id));
        staleReadAt = now;
      }
    });
  }

  async function checkLimits(batch: readonly Pending[]): Promise<void> {
    const limited = batch.filter((pair) => limits.has(keyOf(pair)));
    if (limited.length === 0) return;
    await deps.db.transaction(SYSTEM_SCOPE, async (tx) => {
      const byKey = new Map(limited.map((pair) => [keyOf(pair), pair]));
      const states = await thresholds.pairsNow(tx, limited);
      for (const state of states) {
        const pair = byKey.get(keyOf(state));
        const limit = limits.get(keyOf(state));
        if (!pair || !limit) continue;
        if (limit.high !== null) await settle(tx, pair, limit, state, 'high', limit.high);
        if (limit.low !== null) await settle(tx, pair, limit, state, 'low', limit.low);
      }
    });
  }

  async function settle(
    tx: Tx,
    pair: Pending,
    limit: thresholds.Limits,
    state: thresholds.PairNow,
    kind: thresholds.AlertKind,
    threshold: number,
  ): Promise<void> {
    const extreme = kind === 'high' ? pair.max : pair.min;
    const breached = kind === 'high' ? extreme > threshold : extreme < threshold;
    const beyondNow = kind === 'high' ? state.value > threshold : state.value < threshold;
    const open = state.open.find((alert) => alert.kind === kind);
    if (open) {
      const farther = kind === 'high' ? extreme > open.peak_value : extreme < open.peak_value;
      if (beyondNow && !(breached && farther)) return;
      const closedAt = beyondNow
        ? null
        : ((await thresholds.backWithinSince(tx, state, kind, threshold, open.opened_at)) ?? state.at);
      await thresholds.updateAlert(tx, open.id, kind, {
        peak_value: breached ? extreme : open.peak_value,
        closed_at: closedAt,
      });
      return;
    }
    if (!breached) return;
    const first = await thresholds.firstBeyond(tx, state, kind, threshold, pair.first_at);
    if (!first) return;
    const closedAt = beyondNow
      ? null
      : ((await thresholds.backWithinSince(tx, state, kind, threshold, first.at)) ?? state.at);
    const alert = await thresholds.openAlert(
      tx,
      {
        site_id: limit.site_id,
        machine_id: state.machine_id,
        reading_type: state.reading_type,
        kind,
        threshold,
        first_value: first.value,
        peak_value: extreme,
        unit: state.unit,
        opened_at: first.at,
        closed_at: closedAt,
      },
      REOPEN_WITHIN_MS,
    );
    if (!alert?.created) return;
    const unit = state.unit ? ` ${state.unit}` : '';
    await deps.notify(tx, {
      kind: 'reading_alert',
      title: `${state.machine_code} · ${state.reading_type} ${first.value}${unit} ${kind === 'high' ? 'above' : 'below'} the limit ${threshold}${unit}`,
      link: `/app/machines/${state.machine_id}`,
      site_id: limit.site_id,
      data: { alert_id: alert.id, machine_id: state.machine_id, reading_type: state.reading_type, kind },
      recipients: { roles: ['admin', 'manager', 'technician'] },
    });
  }

  async function checkFreshness(batch: readonly Pending[]): Promise<void> {
    const machineIds = [...new Set(batch.map((pair) => pair.machine_id))].filter((id) =>
      staleMachines.has(id),
    );
    if (machineIds.length === 0) return;
    const result = await checkStaleReadings(deps.db, new Date(), { machineIds, signals: deps.signals });
    if (result.closed > 0) staleReadAt = -Infinity;
  }

  async function loop(): Promise<void> {
    while (pending.size > 0) {
      const wait = lastCheckAt + minInterval - Date.now();
      if (wait > 0) await sleep(wait);
      lastCheckAt = Date.now();
      const batch = [...pending.values()].slice(0, MAX_PAIRS_PER_CHECK);
      for (const pair of batch) pending.delete(keyOf(pair));
      try {
        await refreshCaches();
        await checkLimits(batch);
        await checkFreshness(batch);
      } catch (error) {
        deps.log.warn({ err: error }, 'reading checks failed; the next readings check again');
      }
    }
  }

  return {
    /** Notes what a committed batch stored; the checks follow asynchronously. */
    onStored(pairs: readonly StoredPair[]): void {
      for (const pair of pairs) {
        const key = keyOf(pair);
        const seen = pending.get(key);
        if (seen) {
          seen.min = Math.min(seen.min, pair.min);
          seen.max = Math.max(seen.max, pair.max);
          if (pair.first_at < seen.first_at) seen.first_at = pair.first_at;
        } else {
          pending.set(key, {
            site_id: pair.site_id,
            machine_id: pair.machine_id,
            reading_type: pair.reading_type,
            min: pair.min,
            max: pair.max,
            first_at: pair.first_at,
          });
        }
      }
      if (!running && pending.size > 0) {
        running = loop().finally(() => {
          running = null;
        });
      }
    },
    /** Thresholds changed in this process: read them again before the next check. */
    forgetLimits(): void {
      limitsReadAt = -Infinity;
    },
    /** A stale period opened in this process: look again before the next check. */
    forgetStale(): void {
      staleReadAt = -Infinity;
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
export type ReadingChecks = ReturnType<typeof createReadingChecks>;
