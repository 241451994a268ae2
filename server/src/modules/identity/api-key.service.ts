import { timingSafeEqual } from 'node:crypto';
import {
  requirePermission,
  requireSite,
  scopeOf,
  type Actor,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import * as keys from './api-key.repository.ts';
import type { ApiKeyOutput, CreateApiKeyInput } from './identity.dto.ts';
import { apiKeyNotFound, invalidApiKey, siteNotFound } from './identity.errors.ts';
import { permissionsOf } from './permissions.ts';
import { findSite } from './site.repository.ts';
import { apiKeyPrefix, newApiKey, sha256 } from './tokens.ts';

const TOUCH_EVERY_MS = 60_000;

export function createApiKeyService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;
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
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await keys.findApiKey(tx, id);
        if (!before) throw apiKeyNotFound(`No API key with id ${id}`);
        const after = await keys.revokeApiKeyRow(tx, id);
        if (!after) throw apiKeyNotFound(`No API key with id ${id}`);
        await recordChange(tx, ctx, {
          action: 'revoke',
          entity: 'api_key',
          entityId: id,
          siteId: after.site_id,
          before,
          after,
        });
        return after;
      });
    },

    /** Resolves `hom_<prefix>_<secret>` to the machine actor of one site. */
    async authenticate(key: string): Promise<Actor> {
      const prefix = apiKeyPrefix(key);
      if (!prefix) throw invalidApiKey('Malformed API key');
      const row = await db.transaction(SYSTEM_SCOPE, async (tx) => {
        const found = await keys.findKeyForAuthentication(tx, prefix);
        if (found && (!found.last_used_at || Date.now() - found.last_used_at.getTime() > TOUCH_EVERY_MS)) {
          await keys.touchApiKey(tx, found.id);
        }
        return found;
      });
      const hash = sha256(key);
      if (!row || row.key_hash.length !== hash.length || !timingSafeEqual(row.key_hash, hash)) {
        throw invalidApiKey('Unknown API key');
      }
      if (row.revoked_at) throw invalidApiKey('This API key was revoked');
      if (!row.site_active) throw invalidApiKey('The site of this API key is deactivated');
      return {
        kind: 'api_key',
        id: row.id,
        name: row.name,
        role: row.role,
        permissions: permissionsOf(row.role),
        siteIds: [row.site_id],
        allSites: false,
        sessionId: null,
      };
    },
  };
}
export type ApiKeyService = ReturnType<typeof createApiKeyService>;
