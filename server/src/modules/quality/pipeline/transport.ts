import type { ResultRow } from '../ingest.dto.ts';

/**
 * Where validated results go. `publish` resolves only once they are durable: committed (in-process) or
 * confirmed by the broker on a durable queue (AMQP). Until then the HTTP request is not answered 202.
 */
export interface IngestTransport {
  readonly kind: 'in-process' | 'amqp';
  publish(rows: readonly ResultRow[]): Promise<void>;
  close(): Promise<void>;
}
