import { sql } from 'kysely';
import { z } from 'zod';
import { requirePermission, scopeOf, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { decodeCursor, pageOf } from '../../platform/pagination.ts';

/**
 * Shot readings across tools. The tools module shows one tool's readings (GET /tools/:id/shots);
 * the export reads them for a site, a tool or a period, newest first, with the tool's asset number.
 */
const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const cursor = z.object({ taken_at: z.coerce.date(), id: z.number().int().positive() });

export const shotReadingFilterInput = z.object({
  site_id: id.optional(),
  tool_id: id.optional(),
  source: z.enum(['manual', 'csv', 'machine']).optional(),
  /** Taken at or after. */
  from: instant.optional(),
  /** Taken before. */
  to: instant.optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ShotReadingFilter = z.output<typeof shotReadingFilterInput>;

export const shotReadingRowOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  tool_id: z.number(),
  asset_number: z.string(),
  taken_at: z.date(),
  source: z.string(),
  kind: z.string(),
  counter_value: z.number().nullable(),
  shots: z.number().nullable(),
  mounting_id: z.number().nullable(),
  delta: z.number(),
  is_reset: z.boolean(),
  is_rollover: z.boolean(),
  note: z.string().nullable(),
  entered_by: z.number().nullable(),
  created_at: z.date(),
});
export type ShotReadingRow = z.output<typeof shotReadingRowOutput>;

export function createShotReadingList(deps: { db: Pick<Database, 'transaction'> }) {
  return {
    async list(request: RequestContext, filter: ShotReadingFilter) {
      const ctx = requirePermission(request, 'plant:read');
      const after = filter.cursor;
      const { rows } = await deps.db.transaction(scopeOf(ctx), (tx) =>
        sql<ShotReadingRow>`
          select r.id, r.site_id, r.tool_id, t.asset_number, r.taken_at, r.source, r.kind, r.counter_value,
                 r.shots, r.mounting_id, r.delta, r.is_reset, r.is_rollover, r.note, r.entered_by, r.created_at
            from tool_shot_readings r
            join tools t on t.id = r.tool_id
           where true
             ${filter.site_id === undefined ? sql`` : sql`and r.site_id = ${filter.site_id}`}
             ${filter.tool_id === undefined ? sql`` : sql`and r.tool_id = ${filter.tool_id}`}
             ${filter.source === undefined ? sql`` : sql`and r.source = ${filter.source}`}
             ${filter.from === undefined ? sql`` : sql`and r.taken_at >= ${filter.from}`}
             ${filter.to === undefined ? sql`` : sql`and r.taken_at < ${filter.to}`}
             ${after ? sql`and (r.taken_at, r.id) < (${after.taken_at}, ${after.id})` : sql``}
           order by r.taken_at desc, r.id desc
           limit ${filter.limit + 1}`.execute(tx),
      );
      return pageOf(rows, filter.limit, (row) => ({ taken_at: row.taken_at.toISOString(), id: row.id }));
    },
  };
}
