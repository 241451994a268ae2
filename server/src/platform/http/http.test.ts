import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../test/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('operations endpoints', () => {
  it('answers liveness and readiness (with the database check)', async () => {
    expect((await h.request({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'ok' });
    const ready = await h.request({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.database.status).toBe('up');
  });

  it('exposes Prometheus metrics with per-route HTTP histograms and process metrics', async () => {
    await h.request({ method: 'GET', url: '/sites', token: h.adminToken });
    const metrics = (await h.request({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/hom_http_request_duration_seconds_bucket\{.*route="\/sites".*\}/);
    expect(metrics).toContain('process_cpu_user_seconds_total');
    expect(metrics).toContain('hom_db_pool_total');
  });

  it('publishes the OpenAPI document at /docs', async () => {
    const doc = (await h.request({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of [
      '/auth/login',
      '/auth/users',
      '/auth/users/{user_id}/role',
      '/sites',
      '/api-keys',
      '/audit',
    ]) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
    expect((await h.request({ method: 'GET', url: '/docs' })).statusCode).toBeLessThan(400);
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const given = await h.request({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'line-3-tablet.42' },
    });
    expect(given.headers['x-request-id']).toBe('line-3-tablet.42');
    const hostile = await h.request({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'a b\u0000c' },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('web app and API paths', () => {
  it('serves the web app under /app and redirects / there', async () => {
    const root = await h.request({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/');
    for (const url of ['/app/', '/app/admin/users', '/app/login']) {
      const page = await h.request({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
    }
  });

  it('never answers an API path with the web app, whatever the client accepts', async () => {
    for (const url of ['/auth/users/', '/workorders/', '/sites', '/no-such-api']) {
      const response = await h.request({
        method: 'GET',
        url,
        headers: { accept: 'text/html,application/json' },
      });
      expect(response.headers['content-type']).toMatch(/application\/json/);
      expect(response.json().success).toBe(false);
    }
  });
});
