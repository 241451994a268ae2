import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

export interface Listener {
  close(): Promise<void>;
}

/**
 * Holds one connection in LISTEN for `channel` and hands each payload to `onMessage`; reconnects
 * with backoff when the connection drops. NOTIFY is sent on commit, so only committed events arrive.
 * The connection is never returned to the pool for reuse: it is destroyed when lost or closed.
 */
export function listen(
  pool: pg.Pool,
  channel: string,
  onMessage: (payload: string) => void,
  log: Logger,
): Listener {
  let current: { connection: pg.PoolClient; drop(error?: Error): void } | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    for (let attempt = 0; !closed; attempt += 1) {
      try {
        const connection = await pool.connect();
        let dropped = false;
        const onNotification = (message: pg.Notification) => {
          if (message.channel === channel && message.payload) onMessage(message.payload);
        };
        const drop = (error?: Error) => {
          if (dropped) return;
          dropped = true;
          connection.off('notification', onNotification);
          connection.off('error', onError);
          connection.release(error ?? true);
          if (current?.connection === connection) current = undefined;
        };
        const onError = (error: Error) => {
          log.warn({ err: error, channel }, 'LISTEN connection lost; reconnecting');
          drop(error);
          if (!closed) void connect();
        };
        connection.on('notification', onNotification);
        connection.on('error', onError);
        await connection.query(`listen ${channel}`);
        current = { connection, drop };
        return;
      } catch (error) {
        log.warn({ err: error, channel, attempt }, 'cannot LISTEN yet; retrying');
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
  }
  const ready = connect();

  return {
    async close() {
      closed = true;
      await ready;
      current?.drop();
    },
  };
}
