import { useEffect, useState } from 'react';
import { refreshSession } from './api.ts';
import { getAccessToken, onAccessTokenChange } from './session-tokens.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];

/** Close codes that no retry will fix (server platform/http/authed-socket.ts SOCKET_CLOSE). */
const CLOSE_INVALID_FILTER = 4400;
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;

/** What a feature does with its socket's frames, from one connection to the next. */
export interface LiveSocketHandlers {
  /** The server said `ready`: the socket is in. `again` after an earlier `ready` (a reconnection). */
  ready: (again: boolean) => void;
  /** Any other frame, parsed from JSON. */
  frame: (frame: unknown) => void;
  /** The hook stops (unmounted, or another path): clear what the handlers started. */
  stop?: () => void;
}

function backoff(attempt: number): number {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000;
  return base + Math.round(Math.random() * base * 0.2);
}

function socketUrl(path: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}${path}`;
}

function parsed(data: unknown): unknown {
  if (typeof data !== 'string') return undefined;
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

const isReady = (frame: unknown) =>
  typeof frame === 'object' && frame !== null && (frame as { type?: unknown }).type === 'ready';

const authFrame = (token: string) => JSON.stringify({ type: 'auth', authorization: `Bearer ${token}` });

/**
 * One authenticated WebSocket of the server's (`path`, e.g. `/ws/live?site_id=1`; docs/live.md): it
 * authenticates with its first message (browsers cannot set headers), sends each refreshed access
 * token to renew its credentials, and reconnects with backoff and the then current token (renewing an
 * expired one first) when it is closed; a refusal (4400, 4403) stops it with the server's reason.
 * `handlers` (keep it stable: useCallback) is called once per path and gets the frames.
 */
export function useLiveSocket(
  path: string,
  handlers: () => LiveSocketHandlers,
): { status: LiveStatus; problem: string } {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    const handle = handlers();
    let socket: WebSocket | null = null;
    let socketToken: string | null = null;
    /** The server answered `ready`: the socket is in, and takes renewed credentials. */
    let ready = false;
    let retryTimer: number | undefined;
    let attempt = 0;
    let connectedBefore = false;
    let stopped = false;

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
      const frame = parsed(data);
      if (frame === undefined) return;
      if (!isReady(frame)) {
        handle.frame(frame);
        return;
      }
      ready = true;
      attempt = 0;
      setStatus('live');
      setProblem('');
      handle.ready(connectedBefore);
      connectedBefore = true;
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
      const ws = new WebSocket(socketUrl(path));
      socket = ws;
      socketToken = token;
      ws.onopen = () => ws.send(authFrame(token));
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
    // A refreshed token renews the open socket's credentials; one not yet in reconnects.
    const stopWatching = onAccessTokenChange((token) => {
      if (token === null) closeSocket();
      else if (token === socketToken) return;
      else if (socket && ready && socket.readyState === WebSocket.OPEN) {
        socket.send(authFrame(token));
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
      handle.stop?.();
      closeSocket();
    };
  }, [path, handlers]);

  return { status, problem };
}
