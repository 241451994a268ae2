import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database } from '../../../platform/db/database.ts';
import type { Logger } from '../../../platform/logger.ts';
import { createLiveBus, type LiveBus } from '../live-bus.ts';
import { insertResults, type StoredResult } from '../results.writer.ts';
import { createAmqpLiveLink, createAmqpTransport, startAmqpConsumer } from './amqp.ts';
import { createBatchWriter } from './batch-writer.ts';
import { createInProcessTransport } from './in-process.ts';
import type { IngestTransport } from './transport.ts';

export interface PipelineOptions {
  db: Database;
  log: Logger;
  amqpUrl?: string | undefined;
  prefetch?: number;
  /** This process takes results over HTTP (publishes) and/or processes them (consumes). */
  roles: readonly ('api' | 'ingest' | 'worker')[];
}

export interface QualityPipeline {
  transport: IngestTransport;
  live: LiveBus;
  /** Hooks run after results are stored (alerts); each gets every stored batch. */
  onStored(listener: (results: readonly StoredResult[]) => void): void;
  close(): Promise<void>;
}

/**
 * Assembles the ingest pipeline for this process. Without AMQP_URL everything is in-process: the
 * request's results are written by the micro-batching writer and published to this process's live bus.
 * With AMQP_URL: ingest processes publish to the durable queue, worker processes consume and write, and
 * stored results fan out to every API process through the `hom.live` exchange.
 */
export function createQualityPipeline(options: PipelineOptions): QualityPipeline {
  const log = options.log.child({ component: 'ingest-pipeline' });
  const live = createLiveBus();
  const storedListeners: ((results: readonly StoredResult[]) => void)[] = [];
  const amqpUrl = options.amqpUrl;
  const roles = options.roles;
  // Workers publish what they stored; API processes receive it for their live viewers. An ingest-only
  // process neither stores nor serves viewers, so it has no live link at all.
  const liveLink =
    amqpUrl && (roles.includes('api') || roles.includes('worker'))
      ? createAmqpLiveLink({
          url: amqpUrl,
          log,
          listen: roles.includes('api'),
          onResults: (results) => live.publish(results),
        })
      : undefined;
  const writer = createBatchWriter({
    db: options.db,
    onStored: (results) => {
      if (liveLink) liveLink.publish(results);
      else live.publish(results);
      for (const listener of storedListeners) listener(results);
    },
    onError: (error) => log.error({ err: error }, 'a listener of stored results failed'),
  });
  // Processes that take results (POST /ingest, or GraphQL's ingestTestResults on API processes) publish.
  const transport =
    amqpUrl && (roles.includes('ingest') || roles.includes('api'))
      ? createAmqpTransport({ url: amqpUrl, log })
      : createInProcessTransport(writer);
  const consumer =
    amqpUrl && roles.includes('worker')
      ? startAmqpConsumer({
          url: amqpUrl,
          log,
          prefetch: options.prefetch ?? 64,
          write: (rows) => writer.write(rows),
          writeAlone: (rows) => options.db.transaction(SYSTEM_SCOPE, (tx) => insertResults(tx, rows)),
          deadLetter: async (payload, reason) => {
            await options.db.transaction(SYSTEM_SCOPE, (tx) =>
              sql`insert into ingest_dead_letters (source, reason, payload) values ('amqp', ${reason.slice(0, 2000)}, ${payload})`.execute(
                tx,
              ),
            );
            log.warn({ reason }, 'a results message can never be processed: kept in the dead letters');
          },
        })
      : undefined;
  log.info({ transport: transport.kind, consumer: Boolean(consumer) }, 'ingest pipeline ready');
  return {
    transport,
    live,
    onStored: (listener) => storedListeners.push(listener),
    async close() {
      await consumer?.close();
      await transport.close();
      await writer.drain();
      await liveLink?.close();
    },
  };
}
