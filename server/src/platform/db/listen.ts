import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Logger } from '../logger.ts';

export interface Listener {
  close(): Promise<void>;
}

interface Subscription {
  channel: string;
  onMessage: (payload: string) => void;
  onListening?: (() => void) | undefined;
}

/**
 * One LISTEN connection per pool, shared by every channel and subscriber of the process (a pool of a
 * few connections must not lose one per listener). It reconnects with backoff when the connection
 * drops, is released when its last subscriber closes, and is closed before the pool ends (`pool.end()`
 * would otherwise wait for it forever).
 */
function createHub(pool: pg.Pool, log: Logger, onEmpty: () => void) {
  const subscriptions = new Set<Subscription>();
  let current: { connection: pg.PoolClient; channels: Set<string>; drop(error?: Error): void } | undefined;
  let connecting: Promise<void> | undefined;
  let closed = false;

  async function connect(): Promise<void> {
    for (let attempt = 0; !closed && subscriptions.size > 0; attempt += 1) {
      try {
        const connection = await pool.connect();
        let dropped = false;
        const channels = new Set<string>();
        const onNotification = (message: pg.Notification) => {
          if (!message.payload) return;
          for (const sub of [...subscriptions])
            if (sub.channel === message.channel) sub.onMessage(message.payload);
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
          log.warn({ err: error }, 'LISTEN connection lost; reconnecting');
          drop(error);
          if (!closed && subscriptions.size > 0) ensure();
        };
        connection.on('notification', onNotification);
        connection.on('error', onError);
        current = { connection, channels, drop };
        await sync();
        return;
      } catch (error) {
        log.warn({ err: error, attempt }, 'cannot LISTEN yet; retrying');
        current?.drop(error as Error);
        await sleep(Math.min(30_000, 500 * 2 ** attempt));
      }
    }
  }

  /** LISTENs on every channel subscribed and not yet listened to on the current connection. */
  async function sync(): Promise<void> {
    const open = current;
    if (!open) return;
    for (const sub of [...subscriptions]) {
      if (!open.channels.has(sub.channel)) {
        open.channels.add(sub.channel);
        await open.connection.query(`listen ${sub.channel}`);
        for (const same of subscriptions) if (same.channel === sub.channel) same.onListening?.();
      }
    }
  }

  function ensure(): void {
    if (connecting) return;
    connecting = connect().finally(() => {
      connecting = undefined;
    });
  }

  return {
    add(sub: Subscription): Listener {
      subscriptions.add(sub);
      if (current) {
        if (current.channels.has(sub.channel)) sub.onListening?.();
        else
          void sync().catch((error: unknown) => {
            current?.drop(error as Error);
            ensure();
          });
      } else ensure();
      return {
        async close() {
          subscriptions.delete(sub);
          if (subscriptions.size > 0) return;
          closed = true;
          onEmpty();
          await connecting;
          current?.drop();
        },
      };
    },
    async end(): Promise<void> {
      closed = true;
      subscriptions.clear();
      await connecting;
      current?.drop();
    },
  };
}

const hubs = new WeakMap<pg.Pool, ReturnType<typeof createHub>>();

/**
 * Hands each payload NOTIFYed on `channel` to `onMessage`. NOTIFY is sent on commit, so only committed
 * events arrive. `onListening` runs each time the LISTEN is in place, also after a reconnect, when
 * notifications may have been missed. All listeners of a pool share one connection, never returned to
 * the pool for reuse: it is destroyed when lost, when the last listener closes, or when the pool ends.
 */
export function listen(
  pool: pg.Pool,
  channel: string,
  onMessage: (payload: string) => void,
  log: Logger,
  options: { onListening?: () => void } = {},
): Listener {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`Not a channel name: ${channel}`);
  let hub = hubs.get(pool);
  if (!hub) {
    const created = createHub(pool, log, () => {
      if (hubs.get(pool) === created) hubs.delete(pool);
    });
    hub = created;
    hubs.set(pool, created);
    const end = pool.end.bind(pool) as () => Promise<void>;
    (pool as { end: () => Promise<void> }).end = async () => {
      await hubs.get(pool)?.end();
      hubs.delete(pool);
      await created.end();
      await end();
    };
  }
  return hub.add({ channel, onMessage, onListening: options.onListening });
}
