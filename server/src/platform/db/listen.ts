import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

export interface Listener {
  close(): Promise<void>;
}

/**
 * Holds one connection in LISTEN for `channel` and hands each payload to `onMessage`; reconnects
 * with backoff when the connection drops. NOTIFY is sent on commit, so only committed events arrive.
 */
export function listen(
  pool: pg.Pool,
  channel: string,
  onMessage: (payload: string) => void,
  log: Logger,
): Listener {
  let client: pg.PoolClient | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    for (let attempt = 0; !closed; attempt += 1) {
      try {
        const connection = await pool.connect();
        connection.on('notification', (message) => {
          if (message.channel === channel && message.payload) onMessage(message.payload);
        });
        connection.on('error', (error) => {
          log.warn({ err: error, channel }, 'LISTEN connection lost; reconnecting');
          connection.release(error);
          if (client === connection) client = undefined;
          if (!closed) void connect();
        });
        await connection.query(`listen ${channel}`);
        client = connection;
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
      const connection = client;
      client = undefined;
      if (connection) {
        await connection.query(`unlisten ${channel}`).catch(() => undefined);
        connection.release();
      }
    },
  };
}
