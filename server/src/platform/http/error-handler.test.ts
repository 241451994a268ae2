import Fastify, { type FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.ts';
import { registerErrorHandling } from './error-handler.ts';

function appWithLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const app = Fastify({ loggerInstance: pino({ level: 'info' }, stream) as FastifyBaseLogger });
  registerErrorHandling(app);
  return { app, lines };
}

describe('REST error handler', () => {
  it('answers an unknown error with a bare 500 and logs the stack with the request id', async () => {
    const { app, lines } = appWithLog();
    app.get('/boom', async () => {
      throw new Error('select * from users where id = 1 failed in /work/main/server/src/secret.ts');
    });
    const response = await app.inject({ method: 'GET', url: '/boom' });
    expect(response.statusCode).toBe(500);
    const body = response.json();
    expect(body).toEqual({
      success: false,
      message: 'Something went wrong on our side; it has been logged',
      error_code: 'INTERNAL_ERROR',
      timestamp: expect.any(String),
      request_id: expect.any(String),
    });
    expect(response.body).not.toMatch(/select|secret\.ts|\/work\/| at /);
    const logged = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'request failed');
    expect(logged.err.stack).toContain('error-handler.test.ts');
    expect(logged.reqId).toBe(body.request_id);
  });

  it('answers a lost database with 503 and Retry-After, not 500', async () => {
    const { app } = appWithLog();
    app.get('/db', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const response = await app.inject({ method: 'GET', url: '/db' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error_code).toBe('DATABASE_UNAVAILABLE');
  });

  it('maps coded domain errors by kind, with field errors', async () => {
    const { app } = appWithLog();
    app.get('/taken', async () => {
      throw new AppError('conflict', 'USERNAME_TAKEN', 'The username "ann" is taken', {
        errors: [{ field: 'username', message: 'already taken' }],
      });
    });
    const response = await app.inject({ method: 'GET', url: '/taken' });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error_code: 'USERNAME_TAKEN', errors: [{ field: 'username' }] });
  });
});
