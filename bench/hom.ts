/** Talks to the HOM under test: signs in, creates the data the benchmark reads, checks both answers agree. */

export interface Session {
  accessToken: string;
  /** When the access token stops working (ms since the epoch). */
  expiresAt: number;
}

export interface Fixture {
  siteId: number;
  userId: number;
  /** The REST body of GET /auth/users/{userId}. */
  restBody: Record<string, unknown>;
}

/** The same fields as the REST body of GET /auth/users/:user_id, in GraphQL's camelCase. */
export function userQuery(userId: number): string {
  return `{ user(id: ${userId}) { id username fullName email phone role isActive siteIds createdAt updatedAt } }`;
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${method} ${path} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
  const before = Date.now();
  const tokens = await call<{ access_token: string; expires_in: number }>(baseUrl, 'POST', '/auth/login', {
    username,
    password,
  });
  return { accessToken: tokens.access_token, expiresAt: before + tokens.expires_in * 1000 };
}

export async function createFixture(baseUrl: string, session: Session, password: string): Promise<Fixture> {
  const token = session.accessToken;
  const site = await call<{ id: number }>(
    baseUrl,
    'POST',
    '/sites',
    { code: 'BENCH', name: 'Benchmark plant', time_zone: 'Europe/Berlin' },
    token,
  );
  const user = await call<{ id: number }>(
    baseUrl,
    'POST',
    '/auth/users',
    {
      username: 'bench.operator',
      password,
      role: 'operator',
      full_name: 'Bench Operator',
      email: 'bench.operator@example.com',
      site_ids: [site.id],
    },
    token,
  );
  const restBody = await call<Record<string, unknown>>(
    baseUrl,
    'GET',
    `/auth/users/${user.id}`,
    undefined,
    token,
  );
  return { siteId: site.id, userId: user.id, restBody };
}

/** Fails unless GraphQL answers without errors and with the values REST gave. */
export async function checkGraphql(baseUrl: string, session: Session, fixture: Fixture): Promise<void> {
  const answer = await call<{ data?: { user?: Record<string, unknown> | null }; errors?: unknown[] }>(
    baseUrl,
    'POST',
    '/graphql',
    { query: userQuery(fixture.userId) },
    session.accessToken,
  );
  if (answer.errors?.length)
    throw new Error(`GraphQL answered with errors: ${JSON.stringify(answer.errors)}`);
  const user = answer.data?.user;
  const rest = fixture.restBody;
  const expected: Record<string, unknown> = {
    id: String(rest.id),
    username: rest.username,
    fullName: rest.full_name,
    email: rest.email,
    phone: rest.phone,
    role: rest.role,
    isActive: rest.is_active,
    siteIds: (rest.site_ids as number[]).map(String),
    createdAt: rest.created_at,
    updatedAt: rest.updated_at,
  };
  for (const [field, value] of Object.entries(expected)) {
    if (JSON.stringify(user?.[field]) !== JSON.stringify(value)) {
      throw new Error(
        `GraphQL and REST disagree on ${field}: ${JSON.stringify(user?.[field])} vs ${JSON.stringify(value)}`,
      );
    }
  }
}
