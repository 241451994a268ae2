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

/** A queued message's results, or why it can never be processed (it then goes to the dead letters). */
export function parseResultsMessage(payload: string): { rows: ResultRow[] } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { reason: 'not JSON' };
  }
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
