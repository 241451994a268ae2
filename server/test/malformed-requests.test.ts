import type { LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from './constants.ts';
import { buildSite } from './factories.ts';
import { createHarness, type Harness } from './harness.ts';
import { buildCorpus, CATEGORIES, type MalformedCase } from './malformed-corpus.ts';

let h: Harness;
let owner: pg.Client;
let corpus: MalformedCase[];
let before: Record<string, number>;
const MISSING_ID = 999_999;

/**
 * Rows per table, through the owner connection. `login_attempts` is left out: failed sign-ins are
 * recorded on purpose (that is how guessing is throttled), and the corpus sends some sign-ins.
 */
async function countRows(): Promise<Record<string, number>> {
  const { rows: tables } = await owner.query<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'login_attempts' order by 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await owner.query<{ n: string }>(
      `select count(*) as n from ${pg.escapeIdentifier(name)}`,
    );
    counts[name] = Number(rows[0]?.n);
  }
  return counts;
}

beforeAll(async () => {
  h = await createHarness();
  owner = new pg.Client({ connectionString: h.ownerUrl });
  await owner.connect();
  const site = await buildSite(h);
  const me = await h.request({ method: 'GET', url: '/auth/me', token: h.adminToken });
  corpus = buildCorpus({ adminId: me.json().id, siteId: site.id, missingId: MISSING_ID });
  before = await countRows();
});
afterAll(async () => {
  await owner?.end();
  await h?.close();
});

function send(
  c: Pick<MalformedCase, 'method' | 'url' | 'payload' | 'contentType' | 'headers' | 'anonymous'>,
) {
  const headers: Record<string, string> = { ...c.headers };
  if (c.contentType !== null && (c.payload !== undefined || c.contentType))
    headers['content-type'] = c.contentType ?? 'application/json';
  return h.request({
    method: c.method,
    url: c.url,
    payload: c.payload,
    headers,
    token: c.anonymous ? undefined : h.adminToken,
  });
}

const LEAK = /\n\s+at |\bat \S+ \(|\/work\/|node_modules|\bselect\s|\binsert\s|\.[jt]s:\d+/i;
const REST_KEYS = ['error_code', 'message', 'request_id', 'success', 'timestamp'];

/** What is wrong with the answer to a malformed request, or undefined when it is a proper refusal. */
function problemWith(c: MalformedCase, response: LightMyRequestResponse): string | undefined {
  const { statusCode, body: text } = response;
  if (statusCode < 400 || statusCode > 499) return `status ${statusCode}: ${text.slice(0, 300)}`;
  if (c.status && statusCode !== c.status)
    return `status ${statusCode}, expected ${c.status}: ${text.slice(0, 300)}`;
  if (LEAK.test(text)) return `leaks internals: ${text.slice(0, 300)}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `status ${statusCode}, body is not JSON: ${text.slice(0, 100)}`;
  }
  // GraphQL answers in its own envelope ({data, errors}) once mercurius has the request.
  if (c.url === '/graphql' && !('success' in body)) {
    const errors = body.errors as { message?: unknown }[] | undefined;
    const ok =
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every((e) => typeof e.message === 'string') &&
      !body.data;
    return ok ? undefined : `not a GraphQL error body: ${text.slice(0, 300)}`;
  }
  const keys = Object.keys(body).sort().join(',');
  const expected = [...REST_KEYS, ...('errors' in body ? ['errors'] : [])].sort().join(',');
  if (keys !== expected) return `keys ${keys}, expected ${expected}`;
  if (body.success !== false) return 'success is not false';
  if (typeof body.message !== 'string' || body.message === '') return 'message is not a string';
  if (typeof body.error_code !== 'string' || !/^[A-Z_]+$/.test(body.error_code))
    return `error_code ${String(body.error_code)}`;
  const timestamp = body.timestamp;
  if (typeof timestamp !== 'string' || new Date(timestamp).toISOString() !== timestamp)
    return `timestamp ${String(timestamp)}`;
  if (body.request_id !== response.headers['x-request-id']) return 'request_id does not match x-request-id';
  if ('errors' in body) {
    const errors = body.errors as Record<string, unknown>[];
    const valid =
      Array.isArray(errors) &&
      errors.length > 0 &&
      errors.every(
        (e) =>
          Object.keys(e).sort().join(',') === 'field,message' &&
          typeof e.field === 'string' &&
          typeof e.message === 'string',
      );
    if (!valid)
      return `errors is not a list of {field, message}: ${JSON.stringify(body.errors).slice(0, 200)}`;
  }
  return undefined;
}

describe('a corpus of malformed requests', () => {
  it('holds at least 200 distinct cases across every category', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((c) => `${c.category}: ${c.name}`)).size).toBe(corpus.length);
    for (const category of CATEGORIES)
      expect(
        corpus.some((c) => c.category === category),
        category,
      ).toBe(true);
  });

  it.each(CATEGORIES)(
    '%s: every case gets a 4xx with the error body and nothing internal',
    async (category) => {
      const problems: string[] = [];
      for (const c of corpus.filter((c) => c.category === category)) {
        const problem = problemWith(c, await send(c));
        if (problem) problems.push(`${c.name}: ${problem}`);
      }
      expect(problems).toEqual([]);
    },
  );

  it('wrote nothing, and the server still answers valid requests', async () => {
    expect(await countRows()).toEqual(before);
    const me = await h.request({ method: 'GET', url: '/auth/me', token: h.adminToken });
    expect(me.statusCode).toBe(200);
    expect((await h.login(ADMIN.username, ADMIN.password)).access_token).toBeTruthy();
    const site = await h.request({
      method: 'POST',
      url: '/sites',
      token: h.adminToken,
      payload: { code: 'AFTER', name: 'After', time_zone: 'UTC' },
    });
    expect(site.statusCode).toBe(201);
  });
});

describe('specific answers', () => {
  type Row = [
    name: string,
    status: number,
    route: string,
    payload?: string | Buffer,
    code?: string,
    type?: string,
  ];
  const utf8 = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
  it.each<Row>([
    ['broken JSON', 400, 'POST /sites', '{"code":', 'MALFORMED_REQUEST'],
    ['a __proto__ key', 400, 'POST /sites', '{"__proto__":{"x":1},"code":"A"}', 'MALFORMED_REQUEST'],
    [
      'constructor.prototype',
      400,
      'PATCH /settings',
      '{"constructor":{"prototype":{}}}',
      'MALFORMED_REQUEST',
    ],
    ['invalid UTF-8', 400, 'POST /sites', utf8, 'MALFORMED_REQUEST'],
    [
      'nesting depth 10,000',
      400,
      'POST /api-keys',
      '['.repeat(10_000) + ']'.repeat(10_000),
      'MALFORMED_REQUEST',
    ],
    [
      'a body over 1 MiB',
      413,
      'POST /sites',
      JSON.stringify({ name: 'x'.repeat(1_100_000) }),
      'PAYLOAD_TOO_LARGE',
    ],
    ['JSON sent as text/plain', 415, 'POST /sites', '{}', 'UNSUPPORTED_MEDIA_TYPE', 'text/plain'],
    ['an unknown site', 404, `PATCH /sites/${MISSING_ID}`, '{"name":"x"}'],
    ['an unknown API key', 404, `POST /api-keys/${MISSING_ID}/revoke`],
    [
      'a path id that is not a number',
      422,
      'PATCH /auth/users/abc/role',
      '{"role":"viewer"}',
      'VALIDATION_FAILED',
    ],
    ['broken JSON to GraphQL', 400, 'POST /graphql', '{"query":'],
  ])('%s → %i', async (_name, status, route, payload, code, contentType) => {
    const [method, url] = route.split(' ') as ['POST' | 'PATCH', string];
    const response = await send({ method, url, payload, contentType });
    expect(response.statusCode).toBe(status);
    expect(problemWith({ category: '', name: '', method, url }, response)).toBeUndefined();
    if (code) expect(response.json().error_code).toBe(code);
  });

  it.each([
    ['/auth/users', ['body.password', 'body.role', 'body.username']],
    ['/sites', ['body.code', 'body.name', 'body.time_zone']],
    ['/api-keys', ['body.name', 'body.site_id']],
  ])('POST %s {} → 422 with one entry per missing field', async (url, fields) => {
    const response = await send({ method: 'POST', url, payload: '{}' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error_code).toBe('VALIDATION_FAILED');
    expect(
      response
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(fields);
  });

  it('refuses callers without credentials before looking at the body', async () => {
    const response = await send({ method: 'POST', url: '/sites', payload: '{}', anonymous: true });
    expect(response.statusCode).toBe(401);
    expect(response.json().error_code).toBe('UNAUTHENTICATED');
  });
});

/** Cases outside the body parser and the REST error handler: routing errors and GraphQL's envelope. */
describe('routing and GraphQL edges', () => {
  const expectProperRefusal = (c: MalformedCase, response: LightMyRequestResponse) =>
    expect(problemWith(c, response), c.name).toBeUndefined();

  // Routing errors happen before any hook; app.ts passes `frameworkErrors: handleFrameworkError`.
  it('a bad percent-encoding or an over-long path parameter gets the error body', async () => {
    for (const url of ['/auth/users/%ff', `/sites/${'1'.repeat(300)}`]) {
      const c = { category: '', name: url, method: 'PATCH' as const, url, payload: '{"name":""}' };
      expectProperRefusal(c, await send(c));
    }
  });

  // graphql-jit: the request that compiles a document used to answer a wrong variable type with 200.
  it('GraphQL refuses a wrong variable type every time the same document is sent', async () => {
    const query = 'mutation ($id: ID!) { revokeApiKey(id: $id) { id } } # the same document, three times';
    for (let i = 0; i < 3; i += 1) {
      const c = { category: '', name: `try ${i}`, method: 'POST' as const, url: '/graphql' };
      const response = await send({ ...c, payload: JSON.stringify({ query, variables: { id: {} } }) });
      expectProperRefusal(c, response);
    }
  });

  // Fastify's own 4xx errors (413, 415) on /graphql keep their code.
  it('GraphQL names a 415 for what it is, not an internal error', async () => {
    const response = await send({
      method: 'POST',
      url: '/graphql',
      payload: '{}',
      contentType: 'text/plain',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().errors[0].extensions.code).not.toBe('INTERNAL_ERROR');
  });
});
