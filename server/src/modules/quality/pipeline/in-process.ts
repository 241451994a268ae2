import type { ResultRow } from '../ingest.dto.ts';
import type { BatchWriter } from './batch-writer.ts';
import type { IngestTransport } from './transport.ts';

/** Embedded mode: results are written by this process; the 202 follows the commit. */
export function createInProcessTransport(writer: BatchWriter): IngestTransport {
  return {
    kind: 'in-process',
    async publish(rows: readonly ResultRow[]) {
      await writer.write(rows);
    },
    close: () => writer.drain(),
  };
}
