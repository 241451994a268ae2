import { SYSTEM_SCOPE, type Database } from '../../../platform/db/database.ts';
import type { ResultRow } from '../ingest.dto.ts';
import { insertResults, type StoredResult } from '../results.writer.ts';

interface Pending {
  rows: readonly ResultRow[];
  resolve: (stored: number) => void;
  reject: (error: unknown) => void;
}

export interface BatchWriter {
  /** Resolves once the rows are committed (with how many were new), rejects if the batch failed. */
  write(rows: readonly ResultRow[]): Promise<number>;
  /** Waits for what is queued to be written. */
  drain(): Promise<void>;
}

/**
 * Micro-batching: while one batch is being written, new submissions wait and are written together in
 * the next transaction (up to `maxRows`), so many small requests cost few round trips and no request
 * waits for a timer. Every submission is answered only after its own batch commits.
 */
export function createBatchWriter(deps: {
  db: Pick<Database, 'transaction'>;
  maxRows?: number;
  onStored?: (results: StoredResult[]) => void;
  /** A failing `onStored` listener is reported here; it never fails the (committed) write. */
  onError?: (error: unknown) => void;
}): BatchWriter {
  const maxRows = deps.maxRows ?? 20_000;
  const queue: Pending[] = [];
  let writing: Promise<void> | null = null;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let size = 0;
      while (queue.length > 0) {
        const next = queue[0];
        if (!next || (batch.length > 0 && size + next.rows.length > maxRows)) break;
        batch.push(next);
        size += next.rows.length;
        queue.shift();
      }
      let stored: StoredResult[];
      try {
        stored = await deps.db.transaction(SYSTEM_SCOPE, (tx) =>
          insertResults(tx, batch.length === 1 ? (batch[0]?.rows ?? []) : batch.flatMap((p) => p.rows)),
        );
      } catch (error) {
        for (const pending of batch) pending.reject(error);
        continue;
      }
      // A group's "new" count is not separable after one statement: each learns the batch's share.
      for (const pending of batch) pending.resolve(stored.length);
      if (stored.length > 0) {
        try {
          deps.onStored?.(stored);
        } catch (error) {
          deps.onError?.(error);
        }
      }
    }
  }

  function kick(): void {
    if (writing) return;
    writing = flush().finally(() => {
      writing = null;
      if (queue.length > 0) kick();
    });
  }

  return {
    write(rows) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ rows, resolve, reject });
        kick();
      });
    },
    async drain() {
      while (writing) await writing;
    },
  };
}
