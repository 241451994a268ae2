import { timingSafeEqual } from 'node:crypto';
import {
  requirePermission,
  requireSite,
  scopeOf,
  type Actor,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import { sql } from 'kysely';
import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';
import { listen } from '../../platform/db/listen.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { recordChange } from '../audit/index.ts';
import * as keys from './api-key.repository.ts';
import type { ApiKeyOutput, CreateApiKeyInput } from './identity.dto.ts';
import { apiKeyNotFound, invalidApiKey, siteNotFound } from './identity.errors.ts';
import { permissionsOf } from './permissions.ts';
import { findSite } from './site.repository.ts';
import { apiKeyPrefix, newApiKey, sha256 } from './tokens.ts';

const TOUCH_EVERY_MS = 60_000;
/**
 * How long an authenticated key is trusted without asking PostgreSQL again. A revocation through HOM
 * (REST or GraphQL) empties the entry at once in the revoking process and, through NOTIFY on
 * `hom_api_key`, within milliseconds in every other process; this bound is for what bypasses that: a
 * site deactivated, a key changed in SQL, a LISTEN connection lost at that moment (docs/ingest.md, "Caches").
 */
export const API_KEY_CACHE_TTL_MS = 30_000;
const API_KEY_CACHE_MAX = 10_000;
export const API_KEY_CHANNEL = 'hom_api_key';

interface CachedKey {
  id: number;
  actor: Actor;
  expiresAt: number;
  touchedAt: number;
}

export function createApiKeyService(deps: {
  db: Pick<Database, 'transaction'> & Partial<Pick<Database, 'pool'>>;
  log?: Logger;
  /** Milliseconds an authenticated key is remembered (0: ask PostgreSQL on every request). */
  cacheTtlMs?: number;
}) {
  const { db } = deps;
  const ttl = deps.cacheTtlMs ?? API_KEY_CACHE_TTL_MS;
  /** Authenticated keys by the SHA-256 of the whole key; only accepted keys are remembered. */
  const cache = new Map<string, CachedKey>();
  /** Bumped on every invalidation: a lookup that overlapped one does not fill the cache. */
  let generation = 0;
  let listening = false;

  function forget(id: number | null): void {
    generation += 1;
    if (id === null) cache.clear();
    else for (const [hash, entry] of cache) if (entry.id === id) cache.delete(hash);
  }

  /** Every process hears every revocation (NOTIFY is delivered on commit); a reconnect forgets all. */
  function startListening(): void {
    if (listening || !db.pool || ttl <= 0) return;
    listening = true;
    listen(
      db.pool,
      API_KEY_CHANNEL,
      (payload) => {
        const id = Number.parseInt(payload, 10);
        forget(Number.isSafeInteger(id) ? id : null);
      },
      deps.log ?? createLogger('warn'),
      { onListening: () => forget(null) },
    );
  }

  function touch(id: number): void {
    void db
      .transaction(SYSTEM_SCOPE, (tx) => keys.touchApiKey(tx, id))
      .catch((error: unknown) => deps.log?.warn({ err: error }, 'could not note the use of an API key'));
  }

  return {
    async list(request: RequestContext): Promise<ApiKeyOutput[]> {
      const ctx = requirePermission(request, 'apikey:manage');
      return db.transaction(scopeOf(ctx), (tx) => keys.listApiKeys(tx));
    },

    /** The plain key is returned once, here; only its hash is stored. */
    async create(request: RequestContext, input: CreateApiKeyInput): Promise<ApiKeyOutput & { key: string }> {
      const ctx = requirePermission(request, 'apikey:manage');
      requireSite(ctx, input.site_id);
      const generated = newApiKey();
      return db.transaction(scopeOf(ctx), async (tx) => {
        if (!(await findSite(tx, input.site_id))) throw siteNotFound(`No site with id ${input.site_id}`);
        const created = await keys.insertApiKey(tx, {
          site_id: input.site_id,
          name: input.name,
          prefix: generated.prefix,
          key_hash: generated.hash,
          created_by: ctx.actor.kind === 'user' ? ctx.actor.id : null,
        });
        await recordChange(tx, ctx, {
          action: 'create',
          entity: 'api_key',
          entityId: created.id,
          siteId: created.site_id,
          after: created,
        });
        return { ...created, key: generated.key };
      });
    },

    async revoke(request: RequestContext, id: number): Promise<ApiKeyOutput> {
      const ctx = requirePermission(request, 'apikey:manage');
      return db
        .transaction(scopeOf(ctx), async (tx) => {
          const before = await keys.findApiKey(tx, id);
          if (!before) throw apiKeyNotFound(`No API key with id ${id}`);
          const after = await keys.revokeApiKeyRow(tx, id);
          if (!after) throw apiKeyNotFound(`No API key with id ${id}`);
          // Every process forgets the key when this commits; this one also right below.
          await sql`select pg_notify(${API_KEY_CHANNEL}, ${String(id)})`.execute(tx);
          await recordChange(tx, ctx, {
            action: 'revoke',
            entity: 'api_key',
            entityId: id,
            siteId: after.site_id,
            before,
            after,
          });
          return after;
        })
        .finally(() => forget(id));
    },

    /** Resolves `hom_<prefix>_<secret>` to the machine actor of one site. */
    async authenticate(key: string): Promise<Actor> {
      const prefix = apiKeyPrefix(key);
      if (!prefix) throw invalidApiKey('Malformed API key');
      const hash = sha256(key);
      const cacheKey = hash.toString('base64');
      const now = Date.now();
      const cached = cache.get(cacheKey);
      if (cached && cached.expiresAt > now) {
        if (now - cached.touchedAt > TOUCH_EVERY_MS) {
          cached.touchedAt = now;
          touch(cached.id);
        }
        return cached.actor;
      }
      startListening();
      const before = generation;
      const row = await db.transaction(SYSTEM_SCOPE, async (tx) => {
        const found = await keys.findKeyForAuthentication(tx, prefix);
        if (found && (!found.last_used_at || Date.now() - found.last_used_at.getTime() > TOUCH_EVERY_MS)) {
          await keys.touchApiKey(tx, found.id);
        }
        return found;
      });
      if (!row || row.key_hash.length !== hash.length || !timingSafeEqual(row.key_hash, hash)) {
        throw invalidApiKey('Unknown API key');
      }
      if (row.revoked_at) throw invalidApiKey('This API key was revoked');
      if (!row.site_active) throw invalidApiKey('The site of this API key is deactivated');
      const actor: Actor = {
        kind: 'api_key',
        id: row.id,
        name: row.name,
        role: row.role,
        permissions: permissionsOf(row.role),
        siteIds: [row.site_id],
        allSites: false,
        sessionId: null,
      };
      if (ttl > 0 && generation === before) {
        if (cache.size >= API_KEY_CACHE_MAX) cache.clear();
        cache.set(cacheKey, { id: row.id, actor, expiresAt: now + ttl, touchedAt: now });
      }
      return actor;
    },
  };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
