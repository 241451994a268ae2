import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requireActor, requirePermission, type RequestContext } from '../auth/actor.ts';

/** Every route declares who may call it; the permission test walks these declarations. */
export type Access = 'public' | 'authenticated' | { permission: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

const PUBLIC_PREFIXES = ['/docs', '/app/', '/graphiql'];

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/**
 * Checks the declared access before the body is validated, so a caller without the permission
 * learns nothing about the input rules. Services check again: this is the edge, not the rule.
 */
export function registerAccessGuard(app: FastifyInstance, registry: RouteAccess[]): void {
  app.addHook('onRoute', (route) => {
    // Routes of the OpenAPI viewer and static files are public by nature.
    if (!route.config?.access && PUBLIC_PREFIXES.some((prefix) => route.url.startsWith(prefix))) {
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${String(route.method)} ${route.url} declares no access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') registry.push({ method, url: route.url, access });
    }
  });
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    if (access === 'authenticated') requireActor(request.ctx);
    else requirePermission(request.ctx, access.permission);
  });
}
