import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { refreshSession } from '../../lib/api.ts';
import { getAccessToken, onAccessTokenChange } from '../../lib/session-tokens.ts';
import { qualityKeys, type TestResult } from './quality-api.ts';

/** How many results the feed keeps. */
export const LIVE_KEEP = 200;
/** The dashboard's queries are refreshed at most this often while results stream in. */
const REFRESH_EVERY_MS = 3_000;
/** Frames are gathered this long before the feed re-renders: a station's batch arrives as many frames. */
const FLUSH_EVERY_MS = 200;
const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** Close codes of GET /ws/live that no retry will fix (server live.routes.ts LIVE_CLOSE). */
const CLOSE_FORBIDDEN = 4403;
const CLOSE_INVALID_FILTER = 4400;
const CLOSE_UNAUTHENTICATED = 4401;

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

type Frame = TestResult | { type: string };

function liveUrl(siteId: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws/live?site_id=${siteId}`;
}

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

function backoff(attempt: number): number {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000;
  return base + Math.round(Math.random() * base * 0.2);
}

/**
 * The site's results as they are stored, over GET /ws/live: newest first, the last LIVE_KEEP. The
 * socket authenticates with its first message (browsers cannot set headers), sends each refreshed
 * access token to renew its credentials, and reconnects with backoff and the then current token
 * (renewing an expired one first) when it is closed. While results flow, the
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
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    let socket: WebSocket | null = null;
    let socketToken: string | null = null;
    /** The server answered `ready`: the socket is in, and takes renewed credentials. */
    let ready = false;
    let retryTimer: number | undefined;
    let refreshTimer: number | undefined;
    let flushTimer: number | undefined;
    let arrived: TestResult[] = [];
    let lastRefresh = 0;
    let attempt = 0;
    let connectedBefore = false;
    let stopped = false;

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

    const closeSocket = () => {
      const current = socket;
      socket = null;
      socketToken = null;
      ready = false;
      if (current && current.readyState <= WebSocket.OPEN) current.close(1000, 'done');
    };

    const retryLater = () => {
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(() => void connect(), backoff(attempt));
      attempt += 1;
    };

    const onFrame = (data: unknown) => {
      if (typeof data !== 'string') return;
      let frame: Frame;
      try {
        frame = JSON.parse(data) as Frame;
      } catch {
        return;
      }
      if ('type' in frame) {
        if (frame.type !== 'ready') return;
        ready = true;
        attempt = 0;
        setStatus('live');
        setProblem('');
        // what was stored while no socket listened comes from the history (and, after a gap, everything)
        void queryClient.invalidateQueries({
          queryKey: connectedBefore ? qualityKeys.all : qualityKeys.resultsAll,
        });
        connectedBefore = true;
        return;
      }
      arrived.push(frame);
      if (arrived.length > LIVE_KEEP) arrived = arrived.slice(-LIVE_KEEP);
      flushTimer ??= window.setTimeout(flush, FLUSH_EVERY_MS);
      refreshSoon();
    };

    async function connect(): Promise<void> {
      window.clearTimeout(retryTimer);
      closeSocket();
      if (stopped) return;
      setStatus(connectedBefore || attempt > 0 ? 'reconnecting' : 'connecting');
      if (!getAccessToken()) await refreshSession();
      const token = getAccessToken();
      if (stopped || socket) return;
      if (!token) {
        retryLater();
        return;
      }
      const ws = new WebSocket(liveUrl(siteId));
      socket = ws;
      socketToken = token;
      ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', authorization: `Bearer ${token}` }));
      ws.onmessage = (event) => onFrame(event.data);
      ws.onclose = (event) => {
        if (socket !== ws) return;
        socket = null;
        socketToken = null;
        ready = false;
        if (stopped) return;
        if (event.code === CLOSE_FORBIDDEN || event.code === CLOSE_INVALID_FILTER) {
          setStatus('refused');
          setProblem(event.reason);
          return;
        }
        setStatus('reconnecting');
        // an expired access token: renew it first (the token listener then reconnects at once)
        if (event.code === CLOSE_UNAUTHENTICATED) void refreshSession();
        retryLater();
      };
    }

    void connect();
    // A refreshed token renews the open socket's credentials (docs/live.md); one not yet in reconnects.
    const stopWatching = onAccessTokenChange((token) => {
      if (token === null) closeSocket();
      else if (token === socketToken) return;
      else if (socket && ready && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: 'auth', authorization: `Bearer ${token}` }));
        socketToken = token;
      } else {
        attempt = 0;
        void connect();
      }
    });
    return () => {
      stopped = true;
      stopWatching();
      window.clearTimeout(retryTimer);
      window.clearTimeout(refreshTimer);
      window.clearTimeout(flushTimer);
      closeSocket();
    };
  }, [siteId, queryClient]);

  return { results, status, problem };
}
