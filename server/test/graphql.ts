import type { Harness } from './harness.ts';

export interface GqlError {
  message: string;
  path?: string[];
  extensions: { code: string; errors?: { field: string; message: string }[] };
}
export interface GqlAnswer {
  status: number;
  data: Record<string, unknown> | null;
  errors?: GqlError[];
}

/** One POST /graphql as the holder of `token` (none: anonymous). */
export async function gql(
  h: Harness,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlAnswer> {
  const response = await h.request({ method: 'POST', url: '/graphql', token, payload: { query, variables } });
  return { status: response.statusCode, ...(response.json() as Omit<GqlAnswer, 'status'>) };
}

/** The data of a call that must succeed (its errors are shown when it does not). */
export async function gqlData<T = Record<string, unknown>>(
  h: Harness,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<T> {
  const answer = await gql(h, token, query, variables);
  if (answer.errors || !answer.data) throw new Error(`GraphQL failed: ${JSON.stringify(answer.errors)}`);
  return answer.data as T;
}

/** The code of the single error of a call that must fail. */
export async function gqlCode(
  h: Harness,
  token: string | undefined,
  query: string,
  variables?: Record<string, unknown>,
): Promise<GqlError> {
  const answer = await gql(h, token, query, variables);
  if (!answer.errors || answer.errors.length !== 1)
    throw new Error(`expected one error, got ${JSON.stringify(answer)}`);
  return answer.errors[0]!;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const isIdKey = (key: string) => key === 'id' || /_(id|ids|by)$/.test(key);

/**
 * A GraphQL answer in the REST JSON shape, to compare the two doors field by field: keys in
 * snake_case, ID strings (`id`, `*_id`, `*_by`, items of `*_ids`) back to numbers, and the upper-case enum values of `lower`
 * keys back to lower case.
 */
export function restShape(value: unknown, lower: readonly string[] = [], key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => restShape(item, lower, key));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [snake(k), restShape(v, lower, snake(k))]),
    );
  if (typeof value === 'string' && isIdKey(key) && /^\d+$/.test(value)) return Number(value);
  if (typeof value === 'string' && lower.includes(key)) return value.toLowerCase();
  return value;
}
