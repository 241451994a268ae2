import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useLiveSocket, type LiveSocketHandlers, type LiveStatus } from '../../lib/use-live-socket.ts';
import { qualityKeys, type TestResult } from './quality-api.ts';

/** How many results the feed keeps. */
export const LIVE_KEEP = 200;
/** The dashboard's queries are refreshed at most this often while results stream in. */
const REFRESH_EVERY_MS = 3_000;
/** Frames are gathered this long before the feed re-renders: a station's batch arrives as many frames. */
const FLUSH_EVERY_MS = 200;

/** Results never have a `type`; control messages (`ready`, taken by the socket hook) do. */
const isResult = (frame: unknown): frame is TestResult =>
  typeof frame === 'object' && frame !== null && !('type' in frame);

/** The arrived results (oldest first) on top of the list (newest first), each once, the last LIVE_KEEP. */
function prepend(arrived: TestResult[], list: TestResult[]): TestResult[] {
  const seen = new Set<number>();
  const merged: TestResult[] = [];
  for (const result of [...arrived].reverse().concat(list)) {
    if (seen.has(result.id)) continue;
    seen.add(result.id);
    merged.push(result);
    if (merged.length === LIVE_KEEP) break;
  }
  return merged;
}

/**
 * The site's results as they are stored, over GET /ws/live (the connection, its credentials and its
 * reconnections are useLiveSocket's): newest first, the last LIVE_KEEP. While results flow, the
 * dashboard's queries are refreshed at most every few seconds; after each (re)connection the feed's
 * history is read again so nothing missed in between is lost.
 */
export function useLiveResults(siteId: number): {
  results: TestResult[];
  status: LiveStatus;
  problem: string;
} {
  const queryClient = useQueryClient();
  const [results, setResults] = useState<TestResult[]>([]);

  const handlers = useCallback((): LiveSocketHandlers => {
    let refreshTimer: number | undefined;
    let flushTimer: number | undefined;
    let arrived: TestResult[] = [];
    let lastRefresh = 0;

    const refreshSoon = () => {
      if (refreshTimer !== undefined) return;
      refreshTimer = window.setTimeout(
        () => {
          refreshTimer = undefined;
          lastRefresh = Date.now();
          void queryClient.invalidateQueries({ queryKey: qualityKeys.live });
        },
        Math.max(0, lastRefresh + REFRESH_EVERY_MS - Date.now()),
      );
    };

    const flush = () => {
      flushTimer = undefined;
      const batch = arrived;
      arrived = [];
      setResults((list) => prepend(batch, list));
    };

    return {
      // what was stored while no socket listened comes from the history (and, after a gap, everything)
      ready: (again) =>
        void queryClient.invalidateQueries({ queryKey: again ? qualityKeys.all : qualityKeys.resultsAll }),
      frame: (frame) => {
        if (!isResult(frame)) return;
        arrived.push(frame);
        if (arrived.length > LIVE_KEEP) arrived = arrived.slice(-LIVE_KEEP);
        flushTimer ??= window.setTimeout(flush, FLUSH_EVERY_MS);
        refreshSoon();
      },
      stop: () => {
        window.clearTimeout(refreshTimer);
        window.clearTimeout(flushTimer);
      },
    };
  }, [queryClient]);
  const { status, problem } = useLiveSocket(`/ws/live?site_id=${siteId}`, handlers);

  return { results, status, problem };
}
