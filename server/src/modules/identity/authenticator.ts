import type { Actor } from '../../platform/auth/actor.ts';
import { unauthenticated } from '../../platform/errors.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ApiKeyService } from './api-key.service.ts';
import { accountDisabled } from './identity.errors.ts';
import { permissionsOf } from './permissions.ts';
import type { TokenSigner } from './tokens.ts';
import { findPrincipal } from './user.repository.ts';

export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

/**
 * Turns a bearer token or API key into an Actor, reading role, active flag, sites and session from
 * the database on every request: a disabled user, a changed role or a sign-out counts at once.
 */
export function createAuthenticator(deps: {
  db: Pick<Database, 'direct'>;
  signer: TokenSigner;
  apiKeys: Pick<ApiKeyService, 'authenticate'>;
}) {
  return async function authenticate(credentials: Credentials): Promise<Actor | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
    if (credentials.authorization !== undefined && bearer === undefined) {
      throw unauthenticated('The Authorization header must be "Bearer <token>"');
    }
    const token = credentials.apiKey ?? bearer;
    if (token === undefined) return null;
    if (token.startsWith('hom_')) return deps.apiKeys.authenticate(token);

    const claims = await deps.signer.verify(token);
    const principal = await findPrincipal(deps.db.direct, claims.userId, claims.sessionId);
    if (!principal || principal.revoked_at !== null)
      throw unauthenticated('This session has ended; sign in again');
    if (!principal.is_active) throw accountDisabled('This account is disabled; ask an administrator');
    const allSites = principal.role === 'admin';
    return {
      kind: 'user',
      id: principal.id,
      name: principal.username,
      role: principal.role,
      permissions: permissionsOf(principal.role),
      siteIds: principal.site_ids,
      allSites,
      sessionId: claims.sessionId,
    };
  };
}
export type Authenticate = ReturnType<typeof createAuthenticator>;
