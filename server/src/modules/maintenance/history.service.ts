import { z } from 'zod';
import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { decodeCursor, encodeCursor } from '../../platform/pagination.ts';
import { entityChanges } from '../audit/index.ts';
import { machineNotFound, machineRecords } from '../plant/index.ts';
import { listDowntimes } from './downtime.repository.ts';
import { listRepairs } from './repair.repository.ts';

export const HISTORY_KINDS = ['downtime', 'repair', 'change'] as const;

export const historyInput = z.object({
  kinds: z
    .string()
    .transform((value) => value.split(','))
    .pipe(z.array(z.enum(HISTORY_KINDS)))
    .or(z.array(z.enum(HISTORY_KINDS)))
    .optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, z.object({ at: z.coerce.date() }), ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});
export type HistoryInput = z.output<typeof historyInput>;

export interface HistoryItem {
  kind: (typeof HISTORY_KINDS)[number];
  id: number;
  at: Date;
  summary: string;
  actor_username: string | null;
  details: Record<string, unknown>;
}

const CHANGED_FIELDS_IGNORED = new Set(['updated_at']);

/**
 * One timeline per machine: its stops, its repairs and every change to its record (from the audit
 * log), newest first. Each source is read up to the page size before the cursor and merged.
 */
export function createHistoryService(deps: { db: Pick<Database, 'transaction'> }) {
  return {
    async machineHistory(request: RequestContext, machineId: number, input: HistoryInput) {
      const ctx = requirePermission(request, 'plant:read');
      const kinds = new Set(input.kinds ?? HISTORY_KINDS);
      const before = input.cursor?.at;
      const take = input.limit + 1;
      const items = await deps.db.transaction(scopeOf(ctx), async (tx) => {
        if (!(await machineRecords.find(tx, machineId)))
          throw machineNotFound(`No machine with id ${machineId}`);
        const merged: HistoryItem[] = [];
        if (kinds.has('downtime')) {
          const stops = await listDowntimes(tx, {
            machine_id: machineId,
            limit: take,
            ...(before ? { to: before } : {}),
          });
          merged.push(
            ...stops.map((d) => ({
              kind: 'downtime' as const,
              id: d.id,
              at: d.start_datetime,
              summary: `${d.planned ? 'Planned stop' : 'Stop'}${d.reason_name ? `: ${d.reason_name}` : ' (no reason yet)'}`,
              actor_username: null,
              details: { ...d },
            })),
          );
        }
        if (kinds.has('repair')) {
          const fixes = await listRepairs(tx, {
            machine_id: machineId,
            limit: take,
            ...(before ? { to: before } : {}),
          });
          merged.push(
            ...fixes.map((r) => ({
              kind: 'repair' as const,
              id: r.id,
              at: r.start_datetime,
              summary: `${r.repair_type === 'scheduled' ? 'Scheduled repair' : 'Repair'}: ${r.description}`,
              actor_username: null,
              details: { ...r },
            })),
          );
        }
        if (kinds.has('change')) {
          const changes = await entityChanges(tx, 'machine', String(machineId), before, take);
          merged.push(
            ...changes.map((c) => ({
              kind: 'change' as const,
              id: c.id,
              at: c.at,
              summary: `${c.action}: ${changedFields(c.before, c.after).join(', ') || 'record'}`,
              actor_username: c.actor_label,
              details: {
                action: c.action,
                changed: changedFields(c.before, c.after),
                before: c.before,
                after: c.after,
              },
            })),
          );
        }
        return merged;
      });
      items.sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id);
      const page = items.slice(0, input.limit);
      const last = page.at(-1);
      // The next page starts strictly before the last instant shown (two events in the same millisecond
      // at a page boundary would show only the first of them).
      return {
        items: page,
        next_cursor: items.length > input.limit && last ? encodeCursor({ at: last.at.toISOString() }) : null,
      };
    },
  };
}
export type HistoryService = ReturnType<typeof createHistoryService>;

function changedFields(before: unknown, after: unknown): string[] {
  const a = (before ?? {}) as Record<string, unknown>;
  const b = (after ?? {}) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (key) => !CHANGED_FIELDS_IGNORED.has(key) && JSON.stringify(a[key]) !== JSON.stringify(b[key]),
  );
}
