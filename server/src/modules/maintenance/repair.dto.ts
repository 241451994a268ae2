import { z } from 'zod';
import { decodeCursor } from '../../platform/pagination.ts';

export const REPAIR_TYPES = ['scheduled', 'unscheduled'] as const;
export const REPAIR_STATUSES = ['open', 'in_progress', 'closed'] as const;

const id = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.coerce.date({ error: 'an ISO 8601 date and time, e.g. 2026-03-01T06:30:00+01:00' });
const part = z.object({
  part: z.string().trim().min(1).max(200),
  quantity: z.number().positive().max(1_000_000),
});

const repairFields = {
  repair_type: z.enum(REPAIR_TYPES),
  status: z.enum(REPAIR_STATUSES),
  start_datetime: instant,
  end_datetime: instant.nullable(),
  description: z.string().trim().min(1, 'describe the symptom').max(4000),
  failure_code_id: id.nullable(),
  actions_taken: z.string().trim().max(8000).nullable(),
  technician_ids: z.array(id).max(50),
  parts: z.array(part).max(200),
  cost: z.number().min(0).max(1e11).nullable(),
  downtime_id: id.nullable(),
};

export const createRepairInput = z.object({
  machine_id: id,
  repair_type: repairFields.repair_type.default('unscheduled'),
  status: repairFields.status.default('open'),
  start_datetime: repairFields.start_datetime,
  end_datetime: repairFields.end_datetime.optional(),
  description: repairFields.description,
  failure_code_id: repairFields.failure_code_id.optional(),
  actions_taken: repairFields.actions_taken.optional(),
  technician_ids: repairFields.technician_ids.default([]),
  parts: repairFields.parts.default([]),
  cost: repairFields.cost.optional(),
  downtime_id: repairFields.downtime_id.optional(),
});
export type CreateRepairInput = z.output<typeof createRepairInput>;

export const updateRepairInput = z.object(repairFields).partial().strict();
export type UpdateRepairInput = z.output<typeof updateRepairInput>;

const cursor = z.object({ start_at: z.coerce.date(), id: z.number().int().positive() });

export const repairFilterInput = z.object({
  site_id: id.optional(),
  line_id: id.optional(),
  machine_id: id.optional(),
  status: z.enum(REPAIR_STATUSES).optional(),
  repair_type: z.enum(REPAIR_TYPES).optional(),
  from: instant.optional(),
  to: instant.optional(),
  q: z.string().trim().min(1).max(200).optional(),
  cursor: z
    .string()
    .max(200)
    .transform((value, ctx) => decodeCursor(value, cursor, ctx))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RepairFilter = z.output<typeof repairFilterInput>;

export const repairOutput = z.object({
  id: z.number(),
  site_id: z.number(),
  machine_id: z.number(),
  machine_code: z.string(),
  line_id: z.number(),
  repair_type: z.string(),
  status: z.string(),
  start_datetime: z.date(),
  end_datetime: z.date().nullable(),
  duration_seconds: z.number().nullable(),
  description: z.string(),
  failure_code_id: z.number().nullable(),
  failure_code: z.string().nullable(),
  failure_name: z.string().nullable(),
  actions_taken: z.string().nullable(),
  cost: z.number().nullable(),
  downtime_id: z.number().nullable(),
  technicians: z.array(z.object({ id: z.number(), username: z.string(), full_name: z.string().nullable() })),
  parts: z.array(z.object({ id: z.number(), part: z.string(), quantity: z.number() })),
  created_by: z.number().nullable(),
  updated_by: z.number().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type RepairOutput = z.output<typeof repairOutput>;
