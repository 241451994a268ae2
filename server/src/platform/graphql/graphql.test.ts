import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, buildUser } from '../../../test/factories.ts';
import { createHarness, type Harness } from '../../../test/harness.ts';
import { GRAPHQL_LIMITS } from './plugin.ts';

let h: Harness;
let production: Harness;
beforeAll(async () => {
  [h, production] = await Promise.all([createHarness(), createHarness({ production: true })]);
});
afterAll(() => Promise.all([h.close(), production.close()]));

async function graphql(target: Harness, query: string, token?: string, variables?: Record<string, unknown>) {
  const response = await target.request({
    method: 'POST',
    url: '/graphql',
    token,
    payload: { query, variables },
  });
  return { status: response.statusCode, body: response.json() };
}

describe('GraphQL', () => {
  it('signs in, answers me, refreshes and logs out', async () => {
    const login = await graphql(
      h,
      'mutation { login(username: "admin", password: "admin-password-1234") { accessToken tokenType expiresIn refreshToken } }',
    );
    expect(login.body.data.login).toMatchObject({ tokenType: 'bearer', expiresIn: 900 });
    const { accessToken, refreshToken } = login.body.data.login;
    const me = await graphql(h, '{ me { username role permissions } }', accessToken);
    expect(me.body.data.me).toMatchObject({ username: 'admin', role: 'admin' });
    expect(me.body.data.me.permissions).toContain('user:manage');
    const refreshed = await graphql(
      h,
      'mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken } }',
      undefined,
      { t: refreshToken },
    );
    expect(refreshed.body.data.refreshToken.accessToken).toBeTruthy();
    const out = await graphql(h, 'mutation { logout }', accessToken);
    expect(out.body.data.logout).toBe(true);
    const after = await graphql(h, '{ me { username } }', accessToken);
    expect(after.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('puts the error code in extensions.code, with field errors', async () => {
    const denied = await graphql(h, '{ users { id } }');
    expect(denied.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const invalid = await graphql(
      h,
      'mutation { createSite(input: { code: "bad code!", name: "", timeZone: "Mars/Olympus" }) { id } }',
      h.adminToken,
    );
    expect(invalid.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(invalid.body.errors[0].extensions.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'code',
      'name',
      'time_zone',
    ]);
  });

  it('refuses queries deeper, wider or costlier than the limits before running any resolver', async () => {
    const aliases = Array.from({ length: GRAPHQL_LIMITS.maxAliases + 1 }, (_, i) => `a${i}: me { id }`).join(
      ' ',
    );
    const wide = await graphql(h, `{ ${aliases} }`, h.adminToken);
    expect(wide.status).toBe(400);
    expect(JSON.stringify(wide.body.errors)).toMatch(/alias/i);

    const fragmentLoop = `{ me { ...A } } fragment A on Me { sites { ...B } } fragment B on Site { id }`;
    expect((await graphql(h, fragmentLoop, h.adminToken)).body.errors).toBeUndefined();

    // Today's schema is shallow; the depth rule reports alongside the unknown-field errors.
    const deepQuery = `{ me { sites { a { b { c { d { e { f { g { h } } } } } } } } } }`;
    const tooDeepResult = await graphql(h, deepQuery, h.adminToken);
    expect(tooDeepResult.status).toBe(400);
    expect(JSON.stringify(tooDeepResult.body.errors)).toMatch(/depth/i);

    const costly = `{ ${Array.from({ length: 14 }, (_, i) => `u${i}: users { id username fullName email phone role isActive siteIds createdAt updatedAt sites { id code name timeZone isActive createdAt } }`).join(' ')} }`;
    const cost = await graphql(h, costly, h.adminToken);
    expect(cost.status).toBe(400);
    expect(JSON.stringify(cost.body.errors)).toMatch(/cost/i);

    // A refused query costs the database nothing beyond authenticating the caller (one statement).
    for (const refused of [`{ ${aliases} }`, deepQuery, costly]) {
      const before = h.db.queryCount();
      expect((await graphql(h, refused, h.adminToken)).status).toBe(400);
      expect(h.db.queryCount() - before).toBe(1);
    }
  });

  it('batches a nested list: users with their sites cost a bounded number of queries', async () => {
    const sites = await Promise.all([buildSite(h), buildSite(h), buildSite(h)]);
    for (let i = 0; i < 12; i += 1)
      await buildUser(h, { role: 'viewer', site_ids: [sites[i % 3]!.id, sites[(i + 1) % 3]!.id] });
    const before = h.db.queryCount();
    const result = await graphql(h, '{ users { username sites { code } } }', h.adminToken);
    const used = h.db.queryCount() - before;
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data.users.length).toBeGreaterThanOrEqual(13);
    const withSites = result.body.data.users.filter((u: { sites: unknown[] }) => u.sites.length === 2);
    expect(withSites.length).toBe(12);
    // authentication (1) + users transaction (begin, scope, select, commit) + one sites batch (4)
    expect(used).toBeLessThanOrEqual(10);
  });
});

describe('GraphQL in production mode', () => {
  it('turns introspection and field suggestions off', async () => {
    const introspection = await graphql(
      production,
      '{ __schema { queryType { name } } }',
      production.adminToken,
    );
    expect(introspection.status).toBe(400);
    expect(JSON.stringify(introspection.body.errors)).toMatch(/introspection/i);
    const typo = await graphql(production, '{ mee { id } }', production.adminToken);
    expect(JSON.stringify(typo.body.errors)).not.toMatch(/Did you mean/);
    const devTypo = await graphql(h, '{ mee { id } }', h.adminToken);
    expect(JSON.stringify(devTypo.body.errors)).toMatch(/Did you mean/);
  });

  it('serves GraphiQL only outside production', async () => {
    expect((await h.request({ method: 'GET', url: '/graphiql' })).statusCode).toBe(200);
    expect((await production.request({ method: 'GET', url: '/graphiql' })).statusCode).toBe(404);
  });
});
