/**
 * Collects incoming MQTT messages into batches and hands each batch to `process` (which writes it and
 * commits). Messages are split into `shards` by `shardOf` (the ingest shards by machine, so two
 * batches written at the same time never touch the same rows); each shard writes one batch at a time,
 * in arrival order. QoS 1 messages are acknowledged in the order they arrived,
 * each only once it and every QoS 1 message before it is done (committed or dead-lettered). A batch
 * that failed for a passing reason (the database is away) goes back to the front and is tried again
 * after a backoff growing to 30 s; meanwhile nothing is acknowledged and the broker keeps the messages.
 */

export interface Incoming {
  topic: string;
  payload: Buffer;
  qos: 0 | 1;
  messageId: number | undefined;
  /** The connection it came over: a PUBACK is only valid on that connection. */
  generation: number;
  receivedAt: number;
  /** Committed or dead-lettered. */
  done: boolean;
  /** Its connection closed before it was done: the broker sends it again, this copy is dropped. */
  abandoned: boolean;
  /** Topic and payload read on arrival (while the previous batch is being written). */
  parsed?: unknown;
  /** Filled in by `process` on the first attempt (parsed, resolved, stamped), reused on retries. */
  prepared?: unknown;
}

export interface BatcherOptions {
  /** Writes what it can; resolves with the messages left for a retry and why, or nothing left. */
  process: (batch: Incoming[]) => Promise<{ retry: Incoming[]; error?: unknown }>;
  /** Sends the PUBACK of a done QoS 1 message (the caller checks it is still on its connection). */
  ack: (message: Incoming) => void;
  onRetry?: (error: unknown, delayMs: number, messages: number) => void;
  /** Flush at this many messages without waiting. */
  maxBatch?: number;
  /** Otherwise flush this long after the oldest waiting message arrived. */
  lingerMs?: number;
  /** Batches written at the same time, one per shard. */
  shards?: number;
  /** The shard of a message, 0 ≤ n < shards (messages that must stay in order share one). */
  shardOf?: (message: Incoming) => number;
  /** Messages held (waiting and being written) before the client stops reading the connection. */
  maxBuffered?: number;
}

const MAX_BACKOFF_MS = 30_000;

export function createBatcher(options: BatcherOptions) {
  const maxBatch = options.maxBatch ?? 10_000;
  const lingerMs = options.lingerMs ?? 10;
  const shardCount = Math.max(1, options.shards ?? 1);
  const shardOf = options.shardOf ?? (() => 0);
  const maxBuffered = options.maxBuffered ?? 100_000;
  /** Per shard: messages waiting for a batch, and the batch being written (at most one). */
  const shards = Array.from({ length: shardCount }, () => ({ pending: [] as Incoming[], busy: false }));
  /** QoS 1 messages not yet acknowledged, in arrival order. */
  let unacked: Incoming[] = [];
  /** Batches being written, each with the first connection its QoS 1 messages came over. */
  const inFlight = new Set<{ batch: Incoming[]; settled: Promise<void>; firstGeneration: number }>();
  let waiting = 0;
  let writing = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerDue = 0;
  let failures = 0;
  let retryAt = 0;
  let roomWaiters: (() => void)[] = [];
  let draining = false;

  const buffered = () => waiting + writing;

  /** Flushes every shard that is due; otherwise sets one timer for the earliest. */
  function schedule(): void {
    const now = Date.now();
    if (timer && timerDue > now && !shards.some((s) => !s.busy && s.pending.length >= maxBatch)) return;
    let next = Number.POSITIVE_INFINITY;
    for (const shard of shards) {
      if (shard.busy || shard.pending.length === 0) continue;
      const oldest = shard.pending[0]?.receivedAt ?? now;
      const due = Math.max(
        retryAt,
        draining || shard.pending.length >= maxBatch || failures > 0 ? now : oldest + lingerMs,
      );
      if (due <= now) flush(shard);
      else next = Math.min(next, due);
    }
    if (next === Number.POSITIVE_INFINITY || (timer && timerDue <= next)) return;
    clearTimeout(timer);
    timerDue = next;
    timer = setTimeout(() => {
      timer = undefined;
      schedule();
    }, next - now);
  }

  function flush(shard: (typeof shards)[number]): void {
    const batch = shard.pending.length <= maxBatch ? shard.pending : shard.pending.slice(0, maxBatch);
    shard.pending = shard.pending.length <= maxBatch ? [] : shard.pending.slice(maxBatch);
    shard.busy = true;
    waiting -= batch.length;
    writing += batch.length;
    let firstGeneration = Number.POSITIVE_INFINITY;
    for (const m of batch) if (m.qos === 1 && m.generation < firstGeneration) firstGeneration = m.generation;
    const entry = { batch, settled: Promise.resolve(), firstGeneration };
    entry.settled = run(shard, batch).finally(() => {
      inFlight.delete(entry);
      shard.busy = false;
      writing -= batch.length;
      releaseRoom();
      acknowledge();
      schedule();
    });
    inFlight.add(entry);
  }

  async function run(shard: (typeof shards)[number], batch: Incoming[]): Promise<void> {
    let outcome: { retry: Incoming[]; error?: unknown };
    try {
      outcome = await options.process(batch);
    } catch (error) {
      outcome = { retry: batch.filter((m) => !m.done), error };
    }
    const retry = outcome.retry.filter((m) => !m.abandoned && !m.done);
    if (retry.length === 0) {
      if (outcome.retry.length === 0) failures = 0;
      return;
    }
    failures += 1;
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(failures, 12));
    retryAt = Date.now() + delay;
    options.onRetry?.(outcome.error, delay, retry.length);
    shard.pending = [...retry, ...shard.pending];
    waiting += retry.length;
  }

  /** PUBACKs in arrival order: stops at the first QoS 1 message not done yet. */
  function acknowledge(): void {
    let head = 0;
    while (head < unacked.length) {
      const message = unacked[head];
      if (!message) break;
      if (message.abandoned) {
        head += 1;
        continue;
      }
      if (!message.done) break;
      options.ack(message);
      head += 1;
    }
    if (head > 0) unacked = unacked.slice(head);
  }

  function releaseRoom(): void {
    if (buffered() >= maxBuffered) return;
    const waiting = roomWaiters;
    roomWaiters = [];
    for (const resolve of waiting) resolve();
  }

  return {
    push(message: Incoming): void {
      const shard = shards[shardOf(message) % shardCount] ?? shards[0]!;
      shard.pending.push(message);
      waiting += 1;
      if (message.qos === 1) unacked.push(message);
      schedule();
    },

    /** A QoS 1 message that needs nothing written (already committed before): acknowledged in turn. */
    pushDone(message: Incoming): void {
      message.done = true;
      unacked.push(message);
      acknowledge();
    },

    /** Resolves once fewer than `maxBuffered` messages are held. */
    whenRoom(): Promise<void> {
      if (buffered() < maxBuffered) return Promise.resolve();
      return new Promise((resolve) => roomWaiters.push(resolve));
    },

    /**
     * The connection `generation` ended: its QoS 1 messages not done can no longer be acknowledged
     * (the broker sends them again), so waiting ones are dropped and batches being written forget them.
     */
    abandon(generation: number): void {
      for (const message of unacked) if (message.generation <= generation) message.abandoned = true;
      unacked = unacked.filter((m) => !m.abandoned);
      for (const shard of shards) {
        const kept = shard.pending.filter((m) => !m.abandoned);
        waiting -= shard.pending.length - kept.length;
        shard.pending = kept;
      }
      releaseRoom();
    },

    hasRoom: () => buffered() < maxBuffered,

    /** A batch being written holds a QoS 1 message of a connection before `generation`. */
    holdsOlder(generation: number): boolean {
      for (const f of inFlight) if (f.firstGeneration < generation) return true;
      return false;
    },

    /** Settles when no batch being written holds a QoS 1 message of a connection before `generation`. */
    async olderSettled(generation: number): Promise<void> {
      for (;;) {
        const older = [...inFlight].filter((f) => f.firstGeneration < generation);
        if (older.length === 0) return;
        await Promise.allSettled(older.map((f) => f.settled));
      }
    },

    /** Writes what is waiting at once and waits for it, at most `graceMs`. */
    async drain(graceMs: number): Promise<void> {
      draining = true;
      clearTimeout(timer);
      timer = undefined;
      retryAt = 0;
      schedule();
      const deadline = Date.now() + graceMs;
      while ((inFlight.size > 0 || waiting > 0) && Date.now() < deadline) {
        let wait: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...inFlight].map((f) => f.settled)),
          new Promise((resolve) => (wait = setTimeout(resolve, Math.min(100, deadline - Date.now())))),
        ]);
        clearTimeout(wait);
        schedule();
      }
      clearTimeout(timer);
      timer = undefined;
    },

    stats() {
      return { waiting, writing, unacked: unacked.length, failures };
    },
  };
}
export type Batcher = ReturnType<typeof createBatcher>;
