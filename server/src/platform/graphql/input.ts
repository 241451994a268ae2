/**
 * GraphQL input (camelCase) → the REST/zod shape (snake_case). Absent fields stay absent; with
 * `dropNulls` (filters) a null means "no filter" too, otherwise null is kept ("clear this field").
 */
export function snakeCase(
  input: Record<string, unknown>,
  options: { dropNulls?: boolean } = {},
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([, value]) => value !== undefined && !(options.dropNulls && value === null))
      .map(([key, value]) => [key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), value]),
  );
}
