import type { Scope } from '../db/database.ts';
import { forbidden, unauthenticated } from '../errors.ts';

/** Who is acting: a signed-in person, a machine's API key, or HOM itself (start-up, jobs). */
export interface Actor {
  kind: 'user' | 'api_key' | 'system';
  id: number | null;
  name: string;
  role: string;
  permissions: ReadonlySet<string>;
  /** Sites this actor may see; `allSites` widens it to every site and site-less records. */
  siteIds: readonly number[];
  allSites: boolean;
  sessionId: number | null;
}

/** Everything a service needs to know about the call that reached it, whatever the transport. */
export interface RequestContext {
  actor: Actor | null;
  requestId: string;
  clientIp: string;
  userAgent: string | undefined;
}

export interface AuthedContext extends RequestContext {
  actor: Actor;
}

export const SYSTEM_ACTOR: Actor = {
  kind: 'system',
  id: null,
  name: 'system',
  role: 'system',
  permissions: new Set(),
  siteIds: [],
  allSites: true,
  sessionId: null,
};

export function systemContext(requestId = 'system'): AuthedContext {
  return { actor: SYSTEM_ACTOR, requestId, clientIp: '127.0.0.1', userAgent: undefined };
}

export function requireActor(ctx: RequestContext): AuthedContext {
  if (!ctx.actor) throw unauthenticated('Sign in first: this needs a valid access token or API key');
  return ctx as AuthedContext;
}

/** The one permission check every service calls. The system actor may do anything. */
export function requirePermission(ctx: RequestContext, permission: string): AuthedContext {
  const authed = requireActor(ctx);
  if (authed.actor.kind !== 'system' && !authed.actor.permissions.has(permission)) {
    throw forbidden(`Your role "${authed.actor.role}" does not allow this (needs ${permission})`);
  }
  return authed;
}

export function requireSite(ctx: AuthedContext, siteId: number): void {
  if (!ctx.actor.allSites && !ctx.actor.siteIds.includes(siteId)) {
    throw forbidden('You are not a member of that site');
  }
}

export function scopeOf(ctx: AuthedContext): Scope {
  return {
    userId: ctx.actor.kind === 'user' ? ctx.actor.id : null,
    siteIds: ctx.actor.siteIds,
    allSites: ctx.actor.allSites,
  };
}
