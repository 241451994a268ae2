import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useLiveSocket, type LiveSocketHandlers, type LiveStatus } from '../../lib/use-live-socket.ts';
import { boardKeys, type Board, type MachineState } from './board-api.ts';

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
type Frame = { type: 'resync' } | { type: 'signals'; events: BoardEvent[] };

/** The whole board (OEE, shots, sparklines) is read again at most this often while events flow. */
const REFETCH_EVERY_MS = 10_000;

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

/**
 * Keeps the site's board query live over GET /ws/machines (the connection, its credentials and its
 * reconnections are useLiveSocket's): state, stale and count events patch the cached board at once;
 * the whole board is read again at most every few seconds while they flow, after each (re)connection
 * and when the server says `resync`.
 */
export function useBoardLive(siteId: number): { status: LiveStatus; problem: string } {
  const queryClient = useQueryClient();

  const handlers = useCallback((): LiveSocketHandlers => {
    const key = boardKeys.board(siteId);
    let refetchTimer: number | undefined;
    let lastRefetch = 0;

    const refetchNow = () => {
      window.clearTimeout(refetchTimer);
      refetchTimer = undefined;
      lastRefetch = Date.now();
      void queryClient.invalidateQueries({ queryKey: key });
    };
    const refetchSoon = () => {
      if (refetchTimer !== undefined) return;
      refetchTimer = window.setTimeout(refetchNow, Math.max(0, lastRefetch + REFETCH_EVERY_MS - Date.now()));
    };

    return {
      ready: refetchNow, // what changed while no socket listened
      frame: (data) => {
        const frame = data as Frame;
        if (frame.type === 'resync') refetchNow();
        else if (frame.type === 'signals') {
          queryClient.setQueryData<Board>(key, (board) => (board ? applyEvents(board, frame.events) : board));
          refetchSoon();
        }
      },
      stop: () => window.clearTimeout(refetchTimer),
    };
  }, [siteId, queryClient]);

  return useLiveSocket(`/ws/machines?site_id=${siteId}`, handlers);
}
