import { readFile } from 'node:fs/promises';
import type { GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_PATH, renderPermissionsDoc } from '../../../../../scripts/permissions-doc.ts';
import type { Access } from '../../../platform/http/access.ts';
import { buildApiKey, buildSite, buildUser } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { PERMISSIONS, ROLES, ROLE_NAMES, type RoleName } from '../permissions.ts';

/**
 * Walks every role × every REST route and GraphQL root field: 403/FORBIDDEN exactly when the role
 * lacks the declared permission. A route or field added without access, with a permission missing
 * from the matrix, or missing from docs/permissions.md fails here.
 */
let h: Harness;
const credentials = {} as Record<RoleName, Record<string, string>>;
const pathIds: Record<string, number> = {};

beforeAll(async () => {
  h = await createHarness();
  const site = await buildSite(h);
  for (const role of ROLE_NAMES) {
    if (role === 'admin') credentials[role] = { authorization: `Bearer ${h.adminToken}` };
    else if (role === 'machine') credentials[role] = { 'x-api-key': (await buildApiKey(h, site.id)).key };
    else
      credentials[role] = {
        authorization: `Bearer ${(await buildUser(h, { role, site_ids: [site.id] })).token}`,
      };
  }
  // Existing rows for path parameters, so allowed calls reach the service; the key is the admin's to revoke.
  pathIds.user_id = (await buildUser(h, { role: 'viewer', site_ids: [site.id] })).id;
  pathIds.site_id = site.id;
  pathIds.id = (await buildApiKey(h, site.id)).id;
});
afterAll(() => h.close());

const PUBLIC_ROUTES = new Set([
  'GET /',
  'POST /auth/login',
  'POST /auth/refresh',
  'POST /auth/logout',
  'POST /auth/register',
  'GET /graphql',
  'POST /graphql',
  // Browsers authenticate in the first message after the upgrade; the handler checks plant:read.
  'GET /ws/live',
  'GET /ws/machines',
  'GET /health/live',
  'GET /health/ready',
  'GET /metrics',
]);
const PUBLIC_PREFIXES = ['/docs', '/app/', '/graphiql'];
const PUBLIC_FIELDS = ['Mutation.login', 'Mutation.logout', 'Mutation.refreshToken'];

function allows(role: RoleName, access: Access): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return (ROLES[role].permissions as readonly string[]).includes(access.permission);
}

function expectDeclared(where: string, access: Access | undefined): void {
  expect(access, `${where} declares no access`).toBeDefined();
  if (typeof access === 'object') {
    expect(
      Object.keys(PERMISSIONS),
      `${where} needs "${access.permission}", which is not in the matrix`,
    ).toContain(access.permission);
  }
}

describe('REST routes', () => {
  const guarded = () => h.server.routes.filter((route) => route.access !== 'public');
  const fill = (url: string) =>
    url.replace(/:(\w+)/g, (_match, name: string) => String(pathIds[name] ?? 999999));
  const call = (method: string, url: string, headers: Record<string, string> = {}) =>
    h.request({
      method: method as 'GET',
      url: fill(url),
      headers,
      ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: {} } : {}),
    });

  it('all declare access naming a permission of the matrix; only the known ones are public', () => {
    expect(h.server.routes.length).toBeGreaterThan(20);
    for (const route of h.server.routes) {
      expectDeclared(`${route.method} ${route.url}`, route.access);
      if (route.access === 'public') {
        const known =
          PUBLIC_ROUTES.has(`${route.method} ${route.url}`) ||
          PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix));
        expect(known, `${route.method} ${route.url} is public: add it to PUBLIC_ROUTES if meant`).toBe(true);
      }
    }
  });

  it('answer 401 to a caller without credentials', async () => {
    for (const route of guarded()) {
      const response = await call(route.method, route.url);
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it.each(ROLE_NAMES)('answer 403 to %s exactly where the matrix says no', async (role) => {
    const wrong: string[] = [];
    for (const route of guarded()) {
      const response = await call(route.method, route.url, credentials[role]);
      const forbidden = response.statusCode === 403 && response.json().error_code === 'FORBIDDEN';
      const fine = allows(role, route.access)
        ? ![401, 403].includes(response.statusCode) && response.statusCode < 500
        : forbidden;
      if (!fine)
        wrong.push(`${route.method} ${route.url} → ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('GraphQL root fields', () => {
  const rootFields = () => {
    const schema = h.app.graphql.schema;
    return [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.values(type?.getFields() ?? {}).map((field) => ({ type: type!.name, field })),
    );
  };

  // Types are read by name: the schema comes from graphql's CommonJS build, this file gets the ESM one.
  const named = (type: unknown) => String(type).replace(/[[\]!]/g, '');
  const required = (type: unknown) => String(type).endsWith('!');

  function literal(typeText: string): string {
    if (typeText.endsWith('!')) return literal(typeText.slice(0, -1));
    if (typeText.startsWith('[')) return `[${literal(typeText.slice(1, -1))}]`;
    const type = h.app.graphql.schema.getType(typeText);
    if (type && 'getFields' in type) {
      const fields = Object.values(type.getFields()).filter((field) => required(field.type));
      return `{${fields.map((field) => `${field.name}: ${literal(String(field.type))}`).join(', ')}}`;
    }
    if (type && 'getValues' in type) return type.getValues()[0]!.name;
    const scalars: Record<string, string> = {
      ID: '"999999"', // no such row: an allowed call ends in *_NOT_FOUND instead of changing data
      Int: '1',
      Float: '1',
      String: '"x"',
      Boolean: 'false',
      DateTime: JSON.stringify(new Date().toISOString()),
      JSON: '{}',
    };
    const value = scalars[typeText];
    if (value === undefined) throw new Error(`No test value for scalar ${typeText}: add one`);
    return value;
  }

  function operation(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
    const args = field.args.filter((arg) => required(arg.type));
    // A site argument names the callers' site, as REST's :site_id does: membership is checked like
    // access (FORBIDDEN), so an unknown site would hide whether the permission let the call through.
    const value = (arg: (typeof args)[number]) =>
      arg.name === 'siteId' ? `"${pathIds.site_id}"` : literal(String(arg.type));
    const argText = args.length ? `(${args.map((arg) => `${arg.name}: ${value(arg)}`).join(', ')})` : '';
    const type = h.app.graphql.schema.getType(named(field.type));
    const selection = type && ('getFields' in type || 'getTypes' in type) ? ' { __typename }' : '';
    return `${kind} { ${field.name}${argText}${selection} }`;
  }

  it('all declare access naming a permission of the matrix; only sign-in fields are public', () => {
    const fields = rootFields();
    expect(fields.length).toBeGreaterThan(20);
    for (const { type, field } of fields)
      expectDeclared(`${type}.${field.name}`, field.extensions.access as Access);
    const publicFields = fields.filter(({ field }) => field.extensions.access === 'public');
    expect(publicFields.map(({ type, field }) => `${type}.${field.name}`).sort()).toEqual(PUBLIC_FIELDS);
  });

  it.each(ROLE_NAMES)('answer FORBIDDEN to %s exactly where the matrix says no', async (role) => {
    const wrong: string[] = [];
    for (const { type, field } of rootFields()) {
      const access = field.extensions.access as Access;
      if (type === 'Subscription' || access === 'public') continue;
      const query = operation(type === 'Query' ? 'query' : 'mutation', field);
      const response = await h.request({
        method: 'POST',
        url: '/graphql',
        headers: credentials[role],
        payload: { query },
      });
      const code: string | undefined = response.json().errors?.[0]?.extensions?.code;
      const fine = allows(role, access)
        ? !['FORBIDDEN', 'UNAUTHENTICATED', 'GRAPHQL_VALIDATION_FAILED', 'INTERNAL_ERROR'].includes(
            code ?? '',
          )
        : code === 'FORBIDDEN';
      if (!fine) wrong.push(`${query} → ${code ?? 'no error'} ${response.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answer UNAUTHENTICATED without credentials', async () => {
    for (const { type, field } of rootFields()) {
      if (type === 'Subscription' || field.extensions.access === 'public') continue;
      const query = operation(type === 'Query' ? 'query' : 'mutation', field);
      const response = await h.request({ method: 'POST', url: '/graphql', payload: { query } });
      expect(response.json().errors?.[0]?.extensions?.code, query).toBe('UNAUTHENTICATED');
    }
  });
});

describe('docs/permissions.md', () => {
  it('shows the matrix and every route and root field as they are', async () => {
    const expected = await renderPermissionsDoc(h.server.routes, h.app.graphql.schema);
    const committed = await readFile(DOC_PATH, 'utf8').catch(() => '');
    expect(committed, 'docs/permissions.md is stale: run `npm run docs:permissions`').toBe(expected);
  });
});
