import type { z } from 'zod';

/** Opaque cursors: base64url JSON of the last row's sort key, validated on the way back in. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(raw: string, schema: S, ctx: z.RefinementCtx): z.output<S> {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // reported below
  }
  ctx.addIssue({ code: 'custom', message: 'not a cursor this list gave out' });
  return undefined as never;
}

/** Splits a `limit + 1` query result into one page and the cursor of the next. */
export function pageOf<Row>(rows: Row[], limit: number, cursorOf: (row: Row) => unknown) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
