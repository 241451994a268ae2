import { z } from 'zod';
import type { ResultRow } from '../ingest.dto.ts';

/** The body of one message on the results queue: one ingest request's validated results. */
export const messageSchema = z.object({
  v: z.literal(1),
  rows: z
    .array(
      z.object({
        site_id: z.number().int().positive(),
        machine_id: z.number().int().positive(),
        machine_code: z.string(),
        barcode: z.string().min(1).max(100),
        product_code: z.string().min(1).max(60),
        test_step: z.string().min(1).max(80),
        measured_value: z.number().finite(),
        unit: z.string().max(20).nullable(),
        measured_at: z.iso.datetime({ offset: true }),
      }),
    )
    .min(1)
    .max(10_000),
});

const text = (value: unknown, min: number, max: number): value is string =>
  typeof value === 'string' && value.length >= min && value.length <= max;
const id = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/**
 * The rows as HOM's ingest processes write them, checked by hand: the worker's hot path (zod cost
 * about a third of the worker's CPU per result). Stricter than `messageSchema` (the instant must be
 * what `toISOString()` gives), so anything it refuses is checked again by the schema, which also says
 * why. Returns the rows with only the schema's keys, or null.
 */
function fastRows(json: unknown): ResultRow[] | null {
  if (typeof json !== 'object' || json === null) return null;
  const { v, rows } = json as { v?: unknown; rows?: unknown };
  if (v !== 1 || !Array.isArray(rows) || rows.length < 1 || rows.length > 10_000) return null;
  const out: ResultRow[] = new Array<ResultRow>(rows.length);
  for (let i = 0; i < rows.length; i += 1) {
    const row = rows[i] as Record<string, unknown> | null;
    if (typeof row !== 'object' || row === null) return null;
    const {
      site_id,
      machine_id,
      machine_code,
      barcode,
      product_code,
      test_step,
      measured_value,
      unit,
      measured_at,
    } = row;
    if (
      !id(site_id) ||
      !id(machine_id) ||
      typeof machine_code !== 'string' ||
      !text(barcode, 1, 100) ||
      !text(product_code, 1, 60) ||
      !text(test_step, 1, 80) ||
      typeof measured_value !== 'number' ||
      !Number.isFinite(measured_value) ||
      !(unit === null || text(unit, 0, 20)) ||
      typeof measured_at !== 'string' ||
      measured_at.length !== 24
    ) {
      return null;
    }
    const instant = new Date(measured_at);
    if (Number.isNaN(instant.getTime()) || instant.toISOString() !== measured_at) return null;
    out[i] = {
      site_id,
      machine_id,
      machine_code,
      barcode,
      product_code,
      test_step,
      measured_value,
      unit,
      measured_at,
    };
  }
  return out;
}

/** A queued message's results, or why it can never be processed (it then goes to the dead letters). */
export function parseResultsMessage(payload: string): { rows: ResultRow[] } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { reason: 'not JSON' };
  }
  const fast = fastRows(json);
  if (fast) return { rows: fast };
  const result = messageSchema.safeParse(json);
  if (!result.success) {
    return {
      reason: `not a results message: ${result.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ')}`,
    };
  }
  return { rows: result.data.rows };
}
