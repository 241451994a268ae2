import { z } from 'zod';
import { COUNT_KINDS, MACHINE_STATES } from './signals.types.ts';

const ref = { machine_id: z.number().int(), site_id: z.number().int(), at: z.string() };

/** What the signal recorder NOTIFYs (signals.service.ts), as the board's live feed passes it on. */
const signal = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: z.enum(MACHINE_STATES), ...ref }),
  z.object({ type: z.literal('count'), kind: z.enum(COUNT_KINDS), delta: z.number(), ...ref }),
  z.object({
    type: z.literal('stale'),
    stale: z.boolean(),
    source: z.string(),
    reason: z.string().optional(),
    ...ref,
  }),
]);
export type BoardEvent = z.output<typeof signal>;

/** A NOTIFY payload as a board event (only the fields the board shows); null when unreadable. */
export function parseSignal(payload: string): BoardEvent | null {
  try {
    const parsed = signal.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A burst as few events as say the same: the last state of each machine, the last word on each
 * stale source, and per machine and counter kind the sum of the increases (with the latest instant).
 * Order is kept by each key's last event.
 */
export function coalesce(events: readonly BoardEvent[]): BoardEvent[] {
  const byKey = new Map<string, BoardEvent>();
  for (const event of events) {
    const key =
      event.type === 'state'
        ? `s:${event.machine_id}`
        : event.type === 'stale'
          ? `x:${event.machine_id}:${event.source}`
          : `c:${event.machine_id}:${event.kind}`;
    const before = byKey.get(key);
    byKey.delete(key);
    if (event.type === 'count' && before?.type === 'count')
      byKey.set(key, { ...event, delta: before.delta + event.delta, at: later(before.at, event.at) });
    else byKey.set(key, event);
  }
  return [...byKey.values()];
}

const later = (a: string, b: string) => (Date.parse(a) > Date.parse(b) ? a : b);
