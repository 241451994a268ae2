import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { refreshSession } from '../../lib/api.ts';
import { getAccessToken, onAccessTokenChange } from '../../lib/session-tokens.ts';
import { boardKeys, type Board, type MachineState } from './board-api.ts';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'refused';

/** What GET /ws/machines sends (server board.events.ts), coalesced per frame. */
type BoardEvent =
  | { type: 'state'; machine_id: number; site_id: number; state: MachineState; at: string }
  | {
      type: 'count';
      machine_id: number;
      site_id: number;
      kind: 'cycle' | 'good' | 'reject';
      delta: number;
      at: string;
    }
  | {
      type: 'stale';
      machine_id: number;
      site_id: number;
      stale: boolean;
      source: string;
      reason?: string;
      at: string;
    };
type Frame = { type: 'ready' } | { type: 'resync' } | { type: 'signals'; events: BoardEvent[] };

const BACKOFF_MS = [1_000, 2_000, 4_000, 8_000, 15_000, 30_000];
/** The whole board (OEE, shots, sparklines) is read again at most this often while events flow. */
const REFETCH_EVERY_MS = 10_000;
const CLOSE_INVALID_FILTER = 4400;
const CLOSE_UNAUTHENTICATED = 4401;
const CLOSE_FORBIDDEN = 4403;

function backoff(attempt: number): number {
  const base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)] ?? 30_000;
  return base + Math.round(Math.random() * base * 0.2);
}

/** The events applied to the cached board: state, stale badge and shift counts change at once. */
export function applyEvents(board: Board, events: readonly BoardEvent[]): Board {
  const byMachine = new Map(board.machines.map((m) => [m.id, m]));
  let changed = false;
  for (const event of events) {
    const before = byMachine.get(event.machine_id);
    if (!before) continue;
    let after = before;
    if (event.type === 'state') after = { ...before, state: event.state, state_since: event.at };
    else if (event.type === 'stale') {
      const others = before.stale.filter((s) => s.source !== event.source);
      after = {
        ...before,
        stale: event.stale
          ? [...others, { source: event.source, reason: event.reason ?? '', since: event.at }]
          : others,
      };
    } else if (!before.shift || event.at >= before.shift.start) {
      after = {
        ...before,
        counts: { ...before.counts, [event.kind]: before.counts[event.kind] + event.delta },
        last_cycle_at:
          event.kind === 'cycle' && (!before.last_cycle_at || event.at > before.last_cycle_at)
            ? event.at
            : before.last_cycle_at,
      };
    }
    if (after !== before) {
      byMachine.set(event.machine_id, after);
      changed = true;
    }
  }
  return changed ? { ...board, machines: board.machines.map((m) => byMachine.get(m.id) ?? m) } : board;
}

function socketUrl(siteId: number): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/ws/machines?site_id=${siteId}`;
}

/**
 * Keeps the site's board query live over GET /ws/machines: state, stale and count events patch the
 * cached board at once; the whole board is read again at most every few seconds while they flow,
 * after each (re)connection and when the server says `resync`. Authenticates with its first message,
 * renews its credentials with each refreshed token, reconnects with backoff.
 */
export function useBoardLive(siteId: number): { status: LiveStatus; problem: string } {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [problem, setProblem] = useState('');

  useEffect(() => {
    const key = boardKeys.board(siteId);
    let socket: WebSocket | null = null;
    let socketToken: string | null = null;
    let ready = false;
    let retryTimer: number | undefined;
    let refetchTimer: number | undefined;
    let lastRefetch = 0;
    let attempt = 0;
    let stopped = false;

    const refetchNow = (client: QueryClient) => {
      window.clearTimeout(refetchTimer);
      refetchTimer = undefined;
      lastRefetch = Date.now();
      void client.invalidateQueries({ queryKey: key });
    };
    const refetchSoon = () => {
      if (refetchTimer !== undefined) return;
      refetchTimer = window.setTimeout(
        () => refetchNow(queryClient),
        Math.max(0, lastRefetch + REFETCH_EVERY_MS - Date.now()),
      );
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
      if (frame.type === 'ready') {
        ready = true;
        attempt = 0;
        setStatus('live');
        setProblem('');
        refetchNow(queryClient); // what changed while no socket listened
      } else if (frame.type === 'resync') refetchNow(queryClient);
      else if (frame.type === 'signals') {
        queryClient.setQueryData<Board>(key, (board) => (board ? applyEvents(board, frame.events) : board));
        refetchSoon();
      }
    };

    async function connect(): Promise<void> {
      window.clearTimeout(retryTimer);
      closeSocket();
      if (stopped) return;
      setStatus(attempt > 0 ? 'reconnecting' : 'connecting');
      if (!getAccessToken()) await refreshSession();
      const token = getAccessToken();
      if (stopped || socket) return;
      if (!token) {
        retryLater();
        return;
      }
      const ws = new WebSocket(socketUrl(siteId));
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
        if (event.code === CLOSE_UNAUTHENTICATED) void refreshSession();
        retryLater();
      };
    }

    void connect();
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
      window.clearTimeout(refetchTimer);
      closeSocket();
    };
  }, [siteId, queryClient]);

  return { status, problem };
}
