import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const auditCursor = z.object({ at: z.coerce.date(), id: z.number().int().positive() });

export const auditFilterInput = z.object({
  entity: z.string().max(64).optional(),
  entity_id: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  actor_user_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  site_id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, auditCursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.output<typeof auditFilterInput>;

export interface AuditEntry {
  id: number;
  at: Date;
  actor_user_id: number | null;
  actor_username: string;
  actor_label: string;
  action: string;
  entity: string;
  entity_id: string;
  site_id: number | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
}

export const auditEntryOutput = z.object({
  id: z.number(),
  at: z.date(),
  actor_user_id: z.number().nullable(),
  actor_username: z.string(),
  action: z.string(),
  entity: z.string(),
  entity_id: z.string(),
  site_id: z.number().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  request_id: z.string().nullable(),
});
