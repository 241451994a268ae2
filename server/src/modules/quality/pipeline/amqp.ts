import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { z } from 'zod';
import { isTransientDatabaseError } from '../../../platform/db/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ResultRow } from '../ingest.dto.ts';
import { ingestUnavailable } from '../quality.errors.ts';
import type { StoredResult } from '../results.writer.ts';
import type { IngestTransport } from './transport.ts';

export const RESULTS_QUEUE = 'hom.ingest.results';
export const LIVE_EXCHANGE = 'hom.live';
const CONNECT_WAIT_MS = 5_000;
const MAX_BACKOFF_MS = 30_000;

const messageSchema = z.object({
  v: z.literal(1),
  rows: z
    .array(
      z.object({
        site_id: z.number().int().positive(),
        machine_id: z.number().int().positive(),
        machine_code: z.string(),
        barcode: z.string().min(1).max(100),
        product_code: z.string().min(1).max(60),
        test_step: z.string().min(1).max(80),
        measured_value: z.number().finite(),
        unit: z.string().max(20).nullable(),
        measured_at: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(10_000),
});

/** One connection that comes back by itself after the broker restarts, with a channel made per use. */
function createConnection<C extends Channel>(deps: {
  url: string;
  log: Logger;
  name: string;
  open: (connection: ChannelModel) => Promise<C>;
  onReady?: (channel: C) => Promise<void>;
}) {
  let channel: C | null = null;
  let closed = false;
  let waiters: ((channel: C) => void)[] = [];
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;
  let connection: ChannelModel | null = null;

  async function connect(): Promise<void> {
    if (closed) return;
    try {
      connection = await amqp.connect(deps.url, { clientProperties: { connection_name: deps.name } });
      connection.on('error', (error: Error) => deps.log.warn({ err: error }, 'RabbitMQ connection error'));
      connection.on('close', () => {
        channel = null;
        connection = null;
        if (!closed) {
          deps.log.warn('RabbitMQ connection closed; reconnecting');
          schedule();
        }
      });
      const opened = await deps.open(connection);
      opened.on('error', (error: Error) => deps.log.warn({ err: error }, 'RabbitMQ channel error'));
      await deps.onReady?.(opened);
      channel = opened;
      attempt = 0;
      deps.log.info({ name: deps.name }, 'RabbitMQ connected');
      const ready = waiters;
      waiters = [];
      for (const resolve of ready) resolve(opened);
    } catch (error) {
      deps.log.warn({ err: error }, 'RabbitMQ not reachable; retrying');
      await connection?.close().catch(() => undefined);
      connection = null;
      schedule();
    }
  }

  function schedule(): void {
    if (closed || timer) return;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt);
    attempt += 1;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, delay);
    timer.unref();
  }

  void connect();
  return {
    /** The open channel, waiting up to `waitMs` for a reconnect. */
    channel(waitMs: number): Promise<C> {
      if (channel) return Promise.resolve(channel);
      return new Promise<C>((resolve, reject) => {
        const waiter = (ready: C) => {
          clearTimeout(giveUp);
          resolve(ready);
        };
        const giveUp = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(
            ingestUnavailable('The message broker is not reachable; try again shortly', {
              retryAfterSeconds: 5,
            }),
          );
        }, waitMs);
        waiters.push(waiter);
      });
    },
    current: () => channel,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      await connection?.close().catch(() => undefined);
    },
  };
}

async function declare(channel: Channel): Promise<void> {
  await channel.assertQueue(RESULTS_QUEUE, { durable: true });
  await channel.assertExchange(LIVE_EXCHANGE, 'fanout', { durable: true });
}

/**
 * The publishing side (processes with the `ingest` role): each request's results are one persistent
 * message on the durable queue; `publish` resolves when the broker confirms it, so a 202 means the
 * results survive a broker restart.
 */
export function createAmqpTransport(deps: { url: string; log: Logger }): IngestTransport {
  const link = createConnection<ConfirmChannel>({
    url: deps.url,
    log: deps.log,
    name: 'hom-ingest-publisher',
    open: (connection) => connection.createConfirmChannel(),
    onReady: declare,
  });
  return {
    kind: 'amqp',
    async publish(rows: readonly ResultRow[]) {
      const channel = await link.channel(CONNECT_WAIT_MS);
      const body = Buffer.from(JSON.stringify({ v: 1, rows }));
      await new Promise<void>((resolve, reject) => {
        const ok = channel.sendToQueue(
          RESULTS_QUEUE,
          body,
          { persistent: true, contentType: 'application/json' },
          (error: unknown) => {
            if (error)
              reject(
                ingestUnavailable('The message broker did not confirm the results; send them again', {
                  retryAfterSeconds: 1,
                  cause: error,
                }),
              );
            else resolve();
          },
        );
        // The socket buffer is full: the confirm callback still comes; nothing else to do here.
        void ok;
      });
    },
    close: () => link.close(),
  };
}

export interface ConsumerDeps {
  url: string;
  log: Logger;
  prefetch: number;
  /** Writes and commits; resolves after the commit (the message is acknowledged only then). */
  write: (rows: readonly ResultRow[]) => Promise<unknown>;
  /** Writes one message's rows alone (to tell a poison message from a bad batch-mate). */
  writeAlone: (rows: readonly ResultRow[]) => Promise<unknown>;
  /** Keeps a message that can never be processed, with the reason; must be durable before it resolves. */
  deadLetter: (payload: string, reason: string) => Promise<void>;
}

/**
 * The processing side (processes with the `worker` role): takes up to `prefetch` messages, writes them
 * (the batch writer merges concurrent ones), acknowledges each only after its commit. A database that
 * is down means retry with growing backoff (the message stays in the queue); a message that can never
 * be processed goes to the dead letters with its reason.
 */
export function startAmqpConsumer(deps: ConsumerDeps) {
  let failures = 0;
  const link = createConnection<Channel>({
    url: deps.url,
    log: deps.log,
    name: 'hom-ingest-worker',
    open: (connection) => connection.createChannel(),
    onReady: async (channel) => {
      await declare(channel);
      await channel.prefetch(deps.prefetch);
      await channel.consume(RESULTS_QUEUE, (message) => {
        if (message) void handle(channel, message);
      });
    },
  });

  async function handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const payload = message.content.toString('utf8');
    const parsed = parse(payload);
    try {
      if ('reason' in parsed) {
        await deps.deadLetter(payload, parsed.reason);
      } else {
        try {
          await deps.write(parsed.rows);
        } catch (error) {
          if (isTransientDatabaseError(error)) throw error;
          // The merged batch failed for a reason of its own: try this message alone before blaming it.
          try {
            await deps.writeAlone(parsed.rows);
          } catch (alone) {
            if (isTransientDatabaseError(alone)) throw alone;
            await deps.deadLetter(payload, alone instanceof Error ? alone.message : String(alone));
          }
        }
      }
      failures = 0;
      safely(() => channel.ack(message));
    } catch (error) {
      failures += 1;
      const delay = Math.min(MAX_BACKOFF_MS, 200 * 2 ** Math.min(failures, 10));
      deps.log.warn(
        { err: error, retryInMs: delay },
        'writing test results failed; the message stays queued',
      );
      setTimeout(() => safely(() => channel.nack(message, false, true)), delay).unref();
    }
  }

  function safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      // The channel closed meanwhile: the broker redelivers the message on the next connection.
      deps.log.debug({ err: error }, 'acknowledgement on a closed channel');
    }
  }

  return { close: () => link.close() };
}

function parse(payload: string): { rows: ResultRow[] } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { reason: 'not JSON' };
  }
  const result = messageSchema.safeParse(json);
  if (!result.success) {
    return {
      reason: `not a results message: ${result.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    };
  }
  return { rows: result.data.rows };
}

/** Fan-out of stored results between processes: workers publish, API processes listen. */
export function createAmqpLiveLink(deps: {
  url: string;
  log: Logger;
  onResults: (results: StoredResult[]) => void;
}) {
  let queue: string | null = null;
  const link = createConnection<Channel>({
    url: deps.url,
    log: deps.log,
    name: 'hom-live',
    open: (connection) => connection.createChannel(),
    onReady: async (channel) => {
      await declare(channel);
      const created = await channel.assertQueue('', {
        exclusive: true,
        autoDelete: true,
        arguments: { 'x-max-length': 100_000 },
      });
      queue = created.queue;
      await channel.bindQueue(queue, LIVE_EXCHANGE, '');
      await channel.consume(
        queue,
        (message) => {
          if (!message) return;
          try {
            const results = (JSON.parse(message.content.toString('utf8')) as StoredResult[]).map((r) => ({
              ...r,
              timestamp: new Date(r.timestamp),
              received_at: new Date(r.received_at),
            }));
            deps.onResults(results);
          } catch (error) {
            deps.log.warn({ err: error }, 'unreadable live message');
          }
        },
        { noAck: true },
      );
    },
  });
  return {
    /** Best effort: a live view that misses a result still finds it in the database. */
    publish(results: readonly StoredResult[]): void {
      const channel = link.current();
      if (!channel || results.length === 0) return;
      channel.publish(LIVE_EXCHANGE, '', Buffer.from(JSON.stringify(results)), {
        contentType: 'application/json',
      });
    },
    close: () => link.close(),
  };
}
