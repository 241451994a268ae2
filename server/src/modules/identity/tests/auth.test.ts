import { SignJWT } from 'jose';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../../../test/constants.ts';
import { buildSite, buildUser } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('POST /auth/login', () => {
  it('answers the token pair for JSON credentials', async () => {
    const response = await h.request({ method: 'POST', url: '/auth/login', payload: ADMIN });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 900 });
    expect(body.access_token.split('.')).toHaveLength(3);
    expect(body.refresh_token.length).toBeGreaterThan(30);
  });

  it('accepts the OAuth2 password form the mobile client sends', async () => {
    const response = await h.request({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=password&username=${ADMIN.username}&password=${ADMIN.password}&scope=`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().token_type).toBe('bearer');
  });

  it('refuses a wrong password and an unknown user alike, with the error body', async () => {
    for (const payload of [
      { ...ADMIN, password: 'wrong-password-here' },
      { username: 'nobody', password: 'whatever-it-is' },
    ]) {
      const response = await h.request({
        method: 'POST',
        url: '/auth/login',
        payload,
        remoteAddress: '10.9.9.9',
      });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ success: false, error_code: 'INVALID_CREDENTIALS' });
      expect(response.json().request_id).toBe(response.headers['x-request-id']);
    }
  });

  it('stores passwords as argon2id with 19 MiB, t=2, p=1', async () => {
    const client = new pg.Client({ connectionString: h.ownerUrl });
    await client.connect();
    const { rows } = await client.query<{ password_hash: string }>(
      'select password_hash from users where username = $1',
      [ADMIN.username],
    );
    await client.end();
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });
});

describe('tokens', () => {
  it('rotates refresh tokens and ends the session when a spent one is replayed', async () => {
    const user = await buildUser(h, { role: 'viewer' });
    const first = await h.request({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refresh_token).not.toBe(user.refreshToken);

    const replay = await h.request({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error_code).toBe('INVALID_REFRESH_TOKEN');
    // The theft response ended the whole session: the rotated pair is dead too.
    const after = await h.request({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: rotated.refresh_token },
    });
    expect(after.statusCode).toBe(401);
    const me = await h.request({ method: 'GET', url: '/auth/me', token: rotated.access_token });
    expect(me.statusCode).toBe(401);
  });

  it('logout revokes the session at once', async () => {
    const user = await buildUser(h);
    expect((await h.request({ method: 'GET', url: '/auth/me', token: user.token })).statusCode).toBe(200);
    const out = await h.request({
      method: 'POST',
      url: '/auth/logout',
      token: user.token,
      payload: { refresh_token: user.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect((await h.request({ method: 'GET', url: '/auth/me', token: user.token })).statusCode).toBe(401);
    const refresh = await h.request({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refresh_token: user.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('rejects tokens with another algorithm, audience or an expiry in the past', async () => {
    const key = new TextEncoder().encode('not-the-key-not-the-key-not-the-key');
    const forged = await new SignJWT({ sid: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('1')
      .setIssuer('hom')
      .setAudience('hom-api')
      .setExpirationTime('5m')
      .sign(key);
    const unsigned = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"1","sid":1,"iss":"hom","aud":"hom-api","exp":9999999999}').toString('base64url')}.`;
    for (const token of [forged, unsigned, 'garbage']) {
      const response = await h.request({ method: 'GET', url: '/auth/me', token });
      expect(response.statusCode).toBe(401);
      expect(response.json().error_code).toBe('UNAUTHENTICATED');
    }
  });

  it('applies a disabled account and a changed role on the next request', async () => {
    const site = await buildSite(h);
    const user = await buildUser(h, { role: 'manager', site_ids: [site.id] });
    expect((await h.request({ method: 'GET', url: '/audit', token: user.token })).statusCode).toBe(200);

    const demote = await h.request({
      method: 'PATCH',
      url: `/auth/users/${user.id}/role`,
      token: h.adminToken,
      payload: { role: 'worker' },
    });
    expect(demote.statusCode).toBe(200);
    expect(demote.json().role).toBe('operator');
    expect((await h.request({ method: 'GET', url: '/audit', token: user.token })).statusCode).toBe(403);

    const disable = await h.request({
      method: 'PATCH',
      url: `/auth/users/${user.id}`,
      token: h.adminToken,
      payload: { is_active: false },
    });
    expect(disable.statusCode).toBe(200);
    const me = await h.request({ method: 'GET', url: '/auth/me', token: user.token });
    expect(me.statusCode).toBe(403);
    expect(me.json().error_code).toBe('ACCOUNT_DISABLED');
    const again = await h.request({
      method: 'POST',
      url: '/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(again.statusCode).toBe(403);
  });
});

describe('throttling', () => {
  it('slows guessing from unknown addresses without locking out the owner’s known workstation', async () => {
    const user = await buildUser(h, { role: 'viewer' }); // signed in once from 127.0.0.1 (inject's default)
    const attacker = '203.0.113.7';
    for (let i = 0; i < 10; i += 1) {
      const response = await h.request({
        method: 'POST',
        url: '/auth/login',
        remoteAddress: attacker,
        payload: { username: user.username, password: `guess-number-${i}` },
      });
      expect(response.statusCode).toBe(401);
    }
    const blocked = await h.request({
      method: 'POST',
      url: '/auth/login',
      remoteAddress: attacker,
      payload: { username: user.username, password: user.password },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error_code).toBe('TOO_MANY_ATTEMPTS');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);

    const owner = await h.request({
      method: 'POST',
      url: '/auth/login',
      payload: { username: user.username, password: user.password },
    });
    expect(owner.statusCode).toBe(200);
  });
});

describe('POST /auth/register', () => {
  it('is closed until an admin opens it, then gives the lowest role and no site, and tells the admins', async () => {
    const payload = { username: 'newcomer', password: 'newcomer-password-1' };
    const closed = await h.request({ method: 'POST', url: '/auth/register', payload });
    expect(closed.statusCode).toBe(403);
    expect(closed.json().error_code).toBe('REGISTRATION_DISABLED');

    const open = await h.request({
      method: 'PATCH',
      url: '/settings',
      token: h.adminToken,
      payload: { self_registration_enabled: true },
    });
    expect(open.statusCode).toBe(200);
    const created = await h.request({ method: 'POST', url: '/auth/register', payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ username: 'newcomer', role: 'viewer', site_ids: [] });

    const inbox = await h.request({ method: 'GET', url: '/notifications', token: h.adminToken });
    expect(inbox.json().items.some((n: { kind: string }) => n.kind === 'user_registered')).toBe(true);
    await h.request({
      method: 'PATCH',
      url: '/settings',
      token: h.adminToken,
      payload: { self_registration_enabled: false },
    });
  });
});
