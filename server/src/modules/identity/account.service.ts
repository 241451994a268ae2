import { requireActor, scopeOf, systemContext, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Logger } from '../../platform/logger.ts';
import { adminExists, userNotFound } from './identity.errors.ts';
import type { UserOutput } from './identity.dto.ts';
import { allSiteIds, findSitesByIds } from './site.repository.ts';
import { activeAdminCount, findUserById } from './user.repository.ts';
import type { UserService } from './user.service.ts';

export function createAccountService(deps: {
  db: Pick<Database, 'transaction' | 'direct'>;
  users: Pick<UserService, 'create'>;
}) {
  const { db } = deps;
  return {
    /** The signed-in user with their sites and permissions (what the web app and `me` show). */
    async me(request: RequestContext) {
      const ctx = requireActor(request);
      if (ctx.actor.kind !== 'user' || ctx.actor.id === null)
        throw userNotFound('Only a signed-in person has a profile');
      const userId = ctx.actor.id;
      return db.transaction(scopeOf(ctx), async (tx) => {
        const user = await findUserById(tx, userId);
        if (!user) throw userNotFound('Your account no longer exists');
        const siteIds = ctx.actor.allSites ? await allSiteIds(tx) : user.site_ids;
        const sites = await findSitesByIds(tx, siteIds);
        return { ...user, sites, permissions: [...ctx.actor.permissions].sort() };
      });
    },

    async hasAdmin(): Promise<boolean> {
      return (await activeAdminCount(db.direct)) > 0;
    },

    /**
     * Creates an admin. With `onlyIfNone` (HOM_ADMIN_USERNAME at start) nothing happens once an active
     * admin exists; the CLI may add more admins.
     */
    async createAdmin(
      input: { username: string; password: string; full_name?: string | null; email?: string | null },
      options: { onlyIfNone: boolean; log: Logger },
    ): Promise<UserOutput | null> {
      if ((await activeAdminCount(db.direct)) > 0) {
        if (options.onlyIfNone) {
          options.log.info('an admin exists; HOM_ADMIN_USERNAME/HOM_ADMIN_PASSWORD are ignored');
          return null;
        }
      }
      const created = await deps.users
        .create(systemContext('bootstrap'), { ...input, role: 'admin', site_ids: [] })
        .catch((error: unknown) => {
          if ((error as { code?: string }).code === 'USERNAME_TAKEN')
            throw adminExists(`A user named "${input.username}" exists already`);
          throw error;
        });
      options.log.info({ username: created.username }, 'admin account created');
      return created;
    },
  };
}
export type AccountService = ReturnType<typeof createAccountService>;
