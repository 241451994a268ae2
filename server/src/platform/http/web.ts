import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The built web app lives under /app/ so that no page path can ever shadow an API path
 * (the mobile client's GET /workorders/ must keep answering JSON).
 */
export async function registerWebApp(app: FastifyInstance, webDist: string): Promise<void> {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/app/'),
  );
  const indexFile = path.join(webDist, 'index.html');
  if (!existsSync(indexFile)) {
    app.get('/app/*', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
      reply
        .status(503)
        .type('text/html; charset=utf-8')
        .send(
          '<h1>HOM web app is not built</h1><p>Run <code>npm run build</code>, then reload. The API works meanwhile: see <a href="/docs">/docs</a>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: '/app/',
    wildcard: false,
    index: false,
    setHeaders: (res, file) => {
      res.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // Read per request (the OS caches it): a rebuilt web app is served without a restart.
  const sendIndex = async (_request: unknown, reply: FastifyReply) =>
    reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await fs.readFile(indexFile));
  app.get('/app/', { config: { access: 'public' }, schema: { hide: true } }, sendIndex);
  app.get('/app/*', { config: { access: 'public' }, schema: { hide: true } }, sendIndex);
}
