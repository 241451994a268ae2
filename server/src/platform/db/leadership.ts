import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

export interface LeadershipOptions {
  /** What is led, as PostgreSQL's advisory lock key (hashtext of it) and in logs. */
  name: string;
  /** How often a follower tries to take over, and the leader checks its lock connection (ms). */
  checkMs?: number;
  /** Called once this process leads (awaited before the next check). */
  onLead: () => Promise<void> | void;
  /** Called once another process leads (this one lost its lock and someone else took it). */
  onFollow: () => Promise<void> | void;
}

export interface Leadership {
  leading(): boolean;
  /** Stops trying, runs `beforeRelease` (stop what was led), then releases the lock. */
  stop(beforeRelease?: () => Promise<void>): Promise<void>;
}

/**
 * One leader among the processes that run the same thing (HOM's ingest adapters: one OPC-UA session
 * per server, one MQTT client id), through a PostgreSQL session advisory lock held on a connection of
 * its own. Followers try every `checkMs`; a leader whose process dies or whose connection is cut loses
 * the lock, and a follower takes over. A leader that lost its connection keeps running (the database
 * may just be restarting: its adapters keep their queues) until it sees another process holding the
 * lock; then it follows. Both may run for one check period: what they store is idempotent.
 */
export function holdLeadership(pool: pg.Pool, log: Logger, options: LeadershipOptions): Leadership {
  const checkMs = options.checkMs ?? 5_000;
  let connection: pg.PoolClient | undefined;
  /** The session the lock was taken on (gone with it). */
  let lockedOn: pg.PoolClient | undefined;
  let leading = false;
  let stopped = false;
  let wake: (() => void) | undefined;

  const drop = (error?: Error) => {
    const held = connection;
    connection = undefined;
    if (lockedOn === held) lockedOn = undefined;
    held?.release(error ?? true);
  };

  /** True when this process holds the lock now; false when another does; throws when it cannot tell. */
  async function tryLock(): Promise<boolean> {
    if (!connection) {
      const fresh = await pool.connect();
      fresh.on('error', (error: Error) => {
        log.warn({ err: error, lock: options.name }, 'leadership connection lost');
        if (connection === fresh) drop(error);
      });
      connection = fresh;
    }
    const current = connection;
    try {
      // The lock lives as long as the session that took it: while that session answers, it is ours.
      if (lockedOn === current) {
        await current.query('select 1');
        return true;
      }
      const result = await current.query<{ held: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as held',
        [options.name],
      );
      const held = result.rows[0]?.held === true;
      if (held) lockedOn = current;
      return held;
    } catch (error) {
      if (connection === current) drop(error as Error);
      throw error;
    }
  }

  const loop = (async () => {
    while (!stopped) {
      try {
        const held = await tryLock();
        if (held && !leading) {
          leading = true;
          log.info({ lock: options.name }, 'this process leads');
          await options.onLead();
        } else if (!held && leading) {
          leading = false;
          log.warn({ lock: options.name }, 'another process leads now; this one follows');
          await options.onFollow();
        }
      } catch (error) {
        // The database is away: a leader keeps leading, a follower keeps waiting.
        log.warn({ err: error, lock: options.name, leading }, 'cannot check the leadership lock');
      }
      if (stopped) break;
      await Promise.race([sleep(checkMs), new Promise<void>((resolve) => (wake = resolve))]);
    }
  })();

  return {
    leading: () => leading,
    async stop(beforeRelease) {
      stopped = true;
      wake?.();
      await loop;
      await beforeRelease?.();
      if (connection && lockedOn === connection)
        await connection
          .query('select pg_advisory_unlock(hashtext($1))', [options.name])
          .catch(() => undefined);
      leading = false;
      drop();
    },
  };
}
