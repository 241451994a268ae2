import type { IngestEntry } from './opcua.lanes.ts';

export type CountEntry = Extract<IngestEntry, { type: 'count' }>;
export type StateEntry = Extract<IngestEntry, { type: 'state' }>;
export type OtherEntry = Exclude<IngestEntry, CountEntry | StateEntry>;
export type Run =
  | { type: 'count'; entries: CountEntry[] }
  | { type: 'state'; entries: StateEntry[] }
  | { type: 'other'; entry: OtherEntry };

/**
 * The batch as runs of consecutive counts, of consecutive states, and single other entries, in order:
 * each machine's entries keep their order (a run's values of one machine are taken in time order).
 */
export function runsOf(batch: readonly IngestEntry[]): Run[] {
  const runs: Run[] = [];
  for (const entry of batch) {
    const last = runs.at(-1);
    if (entry.type === 'count') {
      if (last?.type === 'count') last.entries.push(entry);
      else runs.push({ type: 'count', entries: [entry] });
    } else if (entry.type === 'state') {
      if (last?.type === 'state') last.entries.push(entry);
      else runs.push({ type: 'state', entries: [entry] });
    } else runs.push({ type: 'other', entry });
  }
  return runs;
}
