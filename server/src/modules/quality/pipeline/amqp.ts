import { randomUUID } from 'node:crypto';
import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage } from 'amqplib';
import { isTransientDatabaseError } from '../../../platform/db/errors.ts';
import type { Logger } from '../../../platform/logger.ts';
import type { ResultRow } from '../ingest.dto.ts';
import { ingestUnavailable } from '../quality.errors.ts';
import type { StoredResult } from '../results.writer.ts';
import { parseResultsMessage } from './message.ts';
import type { IngestTransport } from './transport.ts';

export const RESULTS_QUEUE = 'hom.ingest.results';
export const LIVE_EXCHANGE = 'hom.live';
/** How long a publish waits for the broker to be reachable before the request is answered 503. */
const CONNECT_WAIT_MS = 5_000;
/** How long a publish waits for the broker's confirm (a stuck or blocked broker) before answering 503. */
const CONFIRM_TIMEOUT_MS = 10_000;
/** Reconnects back off up to this: ingest resumes within seconds of the broker's return. */
const MAX_RECONNECT_MS = 5_000;
/** A message whose write failed for a passing reason is requeued after a backoff growing up to this. */
const MAX_RETRY_BACKOFF_MS = 30_000;
/** On shutdown, writes in progress get this long to commit and be acknowledged. */
const CLOSE_GRACE_MS = 5_000;

const brokerUnreachable = () =>
  ingestUnavailable('The message broker is not reachable; try again shortly', { retryAfterSeconds: 5 });

/**
 * One connection that comes back by itself after the broker restarts, with one channel opened and set
 * up (`onReady`: declarations, subscriptions) on every connection. A channel the broker closes alone
 * (a channel error, a cancelled subscription) takes the connection down with it, so the next one
 * starts clean and everything is declared and subscribed again.
 */
function createConnection<C extends Channel>(deps: {
  url: string;
  log: Logger;
  name: string;
  open: (connection: ChannelModel) => Promise<C>;
  onReady?: (channel: C) => Promise<void>;
  /** The broker stopped reading from this connection (a memory or disk alarm). */
  onBlocked?: (reason: string) => void;
}) {
  let channel: C | null = null;
  let connection: ChannelModel | null = null;
  /** Why the broker stopped reading from this connection (a resource alarm), while it lasts. */
  let blocked: string | null = null;
  let closed = false;
  let waiters: { resolve: (channel: C) => void; reject: (error: Error) => void }[] = [];
  let attempt = 0;
  let timer: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    if (closed) return;
    let opening: ChannelModel | null = null;
    try {
      opening = await amqp.connect(deps.url, {
        clientProperties: { connection_name: `${deps.name} (pid ${process.pid})` },
      });
      const current = opening;
      connection = current;
      current.on('error', (error: Error) => deps.log.warn({ err: error }, 'RabbitMQ connection error'));
      current.on('blocked', (reason: unknown) => {
        blocked = typeof reason === 'string' && reason ? reason : 'resource alarm';
        deps.log.warn({ reason: blocked, name: deps.name }, 'RabbitMQ blocks this connection');
        deps.onBlocked?.(blocked);
      });
      current.on('unblocked', () => {
        blocked = null;
        deps.log.info({ name: deps.name }, 'RabbitMQ unblocked this connection');
      });
      current.on('close', () => {
        if (connection !== current) return;
        channel = null;
        connection = null;
        blocked = null;
        if (!closed) {
          deps.log.warn({ name: deps.name }, 'RabbitMQ connection closed; reconnecting');
          schedule();
        }
      });
      const opened = await deps.open(current);
      opened.on('error', (error: Error) => deps.log.warn({ err: error }, 'RabbitMQ channel error'));
      opened.on('close', () => {
        // The channel alone was closed (the connection's own close also closes its channels first).
        if (connection === current) {
          channel = null;
          void current.close().catch(() => undefined);
        }
      });
      await deps.onReady?.(opened);
      if (closed || connection !== current) {
        await current.close().catch(() => undefined);
        return;
      }
      channel = opened;
      attempt = 0;
      deps.log.info({ name: deps.name }, 'RabbitMQ connected');
      const ready = waiters;
      waiters = [];
      for (const waiter of ready) waiter.resolve(opened);
    } catch (error) {
      deps.log.warn({ err: error, name: deps.name }, 'RabbitMQ not reachable; retrying');
      if (opening) {
        if (connection === opening) connection = null;
        await opening.close().catch(() => undefined);
      }
      schedule();
    }
  }

  function schedule(): void {
    if (closed || timer) return;
    const delay = Math.min(MAX_RECONNECT_MS, 250 * 2 ** attempt);
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
      if (closed) return Promise.reject(brokerUnreachable());
      return new Promise<C>((resolve, reject) => {
        const waiter = {
          resolve: (ready: C) => {
            clearTimeout(giveUp);
            resolve(ready);
          },
          reject: (error: Error) => {
            clearTimeout(giveUp);
            reject(error);
          },
        };
        const giveUp = setTimeout(() => {
          waiters = waiters.filter((w) => w !== waiter);
          reject(brokerUnreachable());
        }, waitMs);
        waiters.push(waiter);
      });
    },
    current: () => channel,
    blocked: () => blocked,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(timer);
      const waiting = waiters;
      waiters = [];
      for (const waiter of waiting) waiter.reject(brokerUnreachable());
      const open = connection;
      connection = null;
      channel = null;
      await open?.close().catch(() => undefined);
    },
  };
}

async function declare(channel: Channel): Promise<void> {
  await channel.assertQueue(RESULTS_QUEUE, { durable: true });
  await channel.assertExchange(LIVE_EXCHANGE, 'fanout', { durable: true });
}

/**
 * The publishing side (processes with the `ingest` role): each request's results are one persistent,
 * mandatory message on the durable queue; `publish` resolves when the broker confirms it and did not
 * return it as unroutable, so a 202 means the results are in the queue and survive a broker restart.
 * It never waits forever: no broker for `connectWaitMs`, a blocked broker, or no confirm within
 * `confirmTimeoutMs` is a 503 with Retry-After (sending the same results again is safe: stored once).
 */
export function createAmqpTransport(deps: {
  url: string;
  log: Logger;
  connectWaitMs?: number;
  confirmTimeoutMs?: number;
}): IngestTransport {
  const connectWaitMs = deps.connectWaitMs ?? CONNECT_WAIT_MS;
  const confirmTimeoutMs = deps.confirmTimeoutMs ?? CONFIRM_TIMEOUT_MS;
  /** Message ids published and not yet confirmed, and those of them the broker returned as unroutable
   * (RabbitMQ sends basic.return before the confirm of the same message). */
  const pending = new Map<string, (error: unknown, message?: string) => void>();
  const returned = new Set<string>();
  const blockedMessage = (reason: string) =>
    `The message broker refuses new messages for now (${reason}); try again shortly`;
  const link = createConnection<ConfirmChannel>({
    url: deps.url,
    log: deps.log,
    name: 'hom-ingest-publisher',
    open: (connection) => connection.createConfirmChannel(),
    // Messages sent just before the block will not be confirmed until it ends: answer them now.
    onBlocked: (reason) => {
      for (const settle of [...pending.values()])
        settle(new Error(`blocked: ${reason}`), blockedMessage(reason));
    },
    onReady: async (channel) => {
      await declare(channel);
      channel.on('return', (message: ConsumeMessage) => {
        const id = message.properties.messageId as unknown;
        if (typeof id === 'string' && pending.has(id)) returned.add(id);
        deps.log.warn(
          { queue: RESULTS_QUEUE, reply: message.fields },
          'RabbitMQ could not route a results message (is the queue gone?); declaring it again',
        );
        // Someone deleted the queue: make it again so the next request succeeds.
        void declare(channel).catch(() => undefined);
      });
    },
  });
  return {
    kind: 'amqp',
    async publish(rows: readonly ResultRow[]) {
      const channel = await link.channel(connectWaitMs);
      const blocked = link.blocked();
      if (blocked) {
        throw ingestUnavailable(blockedMessage(blocked), { retryAfterSeconds: 5 });
      }
      const body = Buffer.from(JSON.stringify({ v: 1, rows }));
      const messageId = randomUUID();
      await new Promise<void>((resolve, reject) => {
        let settled = false;
        const settle = (error: unknown, message?: string) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          pending.delete(messageId);
          const wasReturned = returned.delete(messageId);
          if (!error && !wasReturned) resolve();
          else
            reject(
              ingestUnavailable(message ?? 'The message broker did not take the results; send them again', {
                retryAfterSeconds: 5,
                cause: error ?? new Error('returned unroutable'),
              }),
            );
        };
        const timer = setTimeout(
          () =>
            settle(
              new Error(`no confirm in ${confirmTimeoutMs} ms`),
              'The message broker did not confirm the results in time; send them again',
            ),
          confirmTimeoutMs,
        );
        pending.set(messageId, settle);
        try {
          channel.sendToQueue(
            RESULTS_QUEUE,
            body,
            { persistent: true, mandatory: true, messageId, contentType: 'application/json' },
            (error: unknown) => settle(error ?? null),
          );
        } catch (error) {
          // The channel closed between taking it and sending: no confirm will ever come.
          settle(error);
        }
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
 * PostgreSQL refused the data itself (class 22, data exception; class 23, integrity violation): the
 * message is at fault. Anything else (a lost connection, a revoked grant, a driver error) says nothing
 * about the message, so it stays queued and is retried rather than filed away as unprocessable.
 */
function rejectsData(error: unknown): boolean {
  if (isTransientDatabaseError(error) || typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code);
}

/**
 * The processing side (processes with the `worker` role): takes up to `prefetch` messages, writes them
 * (the batch writer merges concurrent ones), acknowledges each only after its commit, on the channel
 * it came from (after a reconnect the broker delivers it again; the write is idempotent). A database
 * that is away means retry with a backoff growing per failed round (the message stays queued); a
 * message that can never be processed goes to the dead letters with its reason.
 */
export function startAmqpConsumer(deps: ConsumerDeps) {
  let failures = 0;
  let nextStepAt = 0;
  let consumerTag: string | null = null;
  const inFlight = new Set<Promise<void>>();
  const link = createConnection<Channel>({
    url: deps.url,
    log: deps.log,
    name: 'hom-ingest-worker',
    open: (connection) => connection.createChannel(),
    onReady: async (channel) => {
      await declare(channel);
      await channel.prefetch(deps.prefetch);
      const consumer = await channel.consume(RESULTS_QUEUE, (message) => {
        if (!message) {
          // The broker cancelled the subscription (the queue was deleted): start over, which declares
          // the queue and subscribes again.
          deps.log.warn(
            { queue: RESULTS_QUEUE },
            'RabbitMQ cancelled the results subscription; subscribing again',
          );
          void channel.close().catch(() => undefined);
          return;
        }
        const handling = handle(channel, message);
        inFlight.add(handling);
        void handling.finally(() => inFlight.delete(handling));
      });
      consumerTag = consumer.consumerTag;
    },
  });

  /** One more failed round every time the previous round's delay has passed: messages failing together count once. */
  function retryDelay(): { delay: number; newRound: boolean } {
    const now = Date.now();
    const newRound = now >= nextStepAt;
    if (newRound) failures += 1;
    const delay = Math.min(MAX_RETRY_BACKOFF_MS, 200 * 2 ** Math.min(failures, 10));
    if (newRound) nextStepAt = now + delay;
    return { delay, newRound };
  }

  async function handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const payload = message.content.toString('utf8');
    const parsed = parseResultsMessage(payload);
    try {
      if ('reason' in parsed) {
        await deadLetter(payload, parsed.reason);
      } else {
        try {
          await deps.write(parsed.rows);
        } catch (error) {
          if (!rejectsData(error)) throw error;
          // The merged batch was refused: try this message alone before blaming it.
          try {
            await deps.writeAlone(parsed.rows);
          } catch (alone) {
            if (!rejectsData(alone)) throw alone;
            await deadLetter(payload, alone instanceof Error ? alone.message : String(alone));
          }
        }
        deps.log.debug(
          { rows: parsed.rows.length, redelivered: message.fields.redelivered },
          'results message stored',
        );
      }
      failures = 0;
      nextStepAt = 0;
      safely(() => channel.ack(message));
    } catch (error) {
      const { delay, newRound } = retryDelay();
      deps.log[newRound ? 'warn' : 'debug'](
        { err: error, retryInMs: delay },
        'writing test results failed; the message stays queued',
      );
      setTimeout(() => safely(() => channel.nack(message, false, true)), delay).unref();
    }
  }

  async function deadLetter(payload: string, reason: string): Promise<void> {
    // PostgreSQL text cannot hold NUL: such bytes are kept as U+FFFD (the message was never JSON anyway).
    const storable = payload.replaceAll('\u0000', '\uFFFD');
    await deps.deadLetter(storable, storable === payload ? reason : `${reason} (NUL bytes shown as U+FFFD)`);
  }

  function safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      // The channel closed meanwhile: the broker redelivers the message on the next connection.
      deps.log.debug({ err: error }, 'acknowledgement on a closed channel');
    }
  }

  return {
    /** Stops taking messages, lets the writes in progress commit and be acknowledged, then disconnects. */
    async close(): Promise<void> {
      const channel = link.current();
      if (channel && consumerTag) await channel.cancel(consumerTag).catch(() => undefined);
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => (grace = setTimeout(resolve, CLOSE_GRACE_MS))),
      ]);
      clearTimeout(grace);
      await link.close();
    },
  };
}

/**
 * Fan-out of stored results between processes: workers publish, API processes (`listen`) receive them
 * for their live viewers. Best effort: a live view that misses a result still finds it in the database.
 */
export function createAmqpLiveLink(deps: {
  url: string;
  log: Logger;
  listen: boolean;
  onResults: (results: StoredResult[]) => void;
}) {
  const link = createConnection<Channel>({
    url: deps.url,
    log: deps.log,
    name: deps.listen ? 'hom-live' : 'hom-live-publisher',
    open: (connection) => connection.createChannel(),
    onReady: async (channel) => {
      await declare(channel);
      if (!deps.listen) return;
      const created = await channel.assertQueue('', {
        exclusive: true,
        autoDelete: true,
        arguments: { 'x-max-length': 100_000 },
      });
      await channel.bindQueue(created.queue, LIVE_EXCHANGE, '');
      await channel.consume(
        created.queue,
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
    publish(results: readonly StoredResult[]): void {
      const channel = link.current();
      if (!channel || results.length === 0 || link.blocked()) return;
      try {
        channel.publish(LIVE_EXCHANGE, '', Buffer.from(JSON.stringify(results)), {
          contentType: 'application/json',
        });
      } catch (error) {
        deps.log.debug({ err: error }, 'live results not sent: the channel closed');
      }
    },
    close: () => link.close(),
  };
}
