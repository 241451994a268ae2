import type { Database } from '../../platform/db/database.ts';
import { createAccountService } from './account.service.ts';
import { createApiKeyService } from './api-key.service.ts';
import { createAuthenticator } from './authenticator.ts';
import { registerIdentityGraphql } from './identity.graphql.ts';
import { identityRoutes, type IdentityServices } from './identity.routes.ts';
import { createSessionService } from './session.service.ts';
import { createSettingsService } from './settings.service.ts';
import { createSiteService } from './site.service.ts';
import { createTokenSigner } from './tokens.ts';
import { createUserService } from './user.service.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import type { UserOutput } from './identity.dto.ts';

export {
  PERMISSIONS,
  ROLES,
  ROLE_NAMES,
  ROLE_ALIASES,
  permissionsOf,
  type Permission,
  type RoleName,
} from './permissions.ts';
export { THROTTLE } from './session.service.ts';
export { ARGON2_PARAMS } from './passwords.ts';
export type { Authenticate } from './authenticator.ts';
export type { IdentityServices } from './identity.routes.ts';
export type { UserOutput, SiteOutput } from './identity.dto.ts';
export { usersWithPermission, activeSiteMembers } from './user.repository.ts';

export interface IdentityDeps {
  db: Database;
  secret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** Called after a self-registration commits (the app tells the admins). */
  onUserRegistered: (user: UserOutput) => Promise<void>;
}

export function createIdentityModule(deps: IdentityDeps) {
  const signer = createTokenSigner(deps.secret, deps.accessTokenTtlSeconds);
  const users = createUserService({ db: deps.db });
  const apiKeys = createApiKeyService({ db: deps.db });
  const services: IdentityServices = {
    users,
    apiKeys,
    sites: createSiteService({ db: deps.db }),
    sessions: createSessionService({ db: deps.db, signer, refreshTokenTtlDays: deps.refreshTokenTtlDays }),
    settings: createSettingsService({ db: deps.db, users, onUserRegistered: deps.onUserRegistered }),
    accounts: createAccountService({ db: deps.db, users }),
  };
  return {
    services,
    authenticate: createAuthenticator({ db: deps.db, signer, apiKeys }),
    routes: identityRoutes(services),
    registerGraphql: (builder: Builder) => registerIdentityGraphql(builder, services),
  };
}
export type IdentityModule = ReturnType<typeof createIdentityModule>;
export { pruneAttempts } from './jobs.ts';
