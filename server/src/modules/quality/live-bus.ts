import type { StoredResult } from './results.writer.ts';

export type LiveListener = (results: readonly StoredResult[]) => void;

/** This process's feed of stored results: the writer or the AMQP live link publishes, viewers listen. */
export function createLiveBus() {
  const listeners = new Set<LiveListener>();
  return {
    publish(results: readonly StoredResult[]): void {
      for (const listener of listeners) listener(results);
    },
    subscribe(listener: LiveListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size: () => listeners.size,
  };
}
export type LiveBus = ReturnType<typeof createLiveBus>;
