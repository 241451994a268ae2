import { requirePermission, scopeOf, systemContext, type RequestContext } from '../../platform/auth/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { UserOutput } from './identity.dto.ts';
import { registrationClosed } from './identity.errors.ts';
import { LOWEST_ROLE } from './permissions.ts';
import { readSetting, writeSetting } from './settings.repository.ts';
import type { UserService } from './user.service.ts';

export interface Settings {
  self_registration_enabled: boolean;
}

export function createSettingsService(deps: {
  db: Pick<Database, 'transaction' | 'direct'>;
  users: Pick<UserService, 'create'>;
  onUserRegistered: (user: UserOutput) => Promise<void>;
}) {
  const { db } = deps;

  async function read(): Promise<Settings> {
    return {
      self_registration_enabled: (await readSetting(db.direct, 'self_registration_enabled')) === true,
    };
  }

  return {
    async get(request: RequestContext): Promise<Settings> {
      requirePermission(request, 'settings:manage');
      return read();
    },

    async update(request: RequestContext, changes: Settings): Promise<Settings> {
      const ctx = requirePermission(request, 'settings:manage');
      const before = await read();
      await db.transaction(scopeOf(ctx), async (tx) => {
        await writeSetting(tx, 'self_registration_enabled', changes.self_registration_enabled, ctx.actor.id);
        await recordChange(tx, ctx, {
          action: 'update',
          entity: 'settings',
          entityId: 'system',
          before,
          after: changes,
        });
      });
      return read();
    },

    /** Open only when an admin enabled it; the account gets the lowest role and no site. */
    async register(
      request: RequestContext,
      input: {
        username: string;
        password: string;
        full_name?: string | null;
        email?: string | null;
        phone?: string | null;
      },
    ): Promise<UserOutput> {
      if (!(await read()).self_registration_enabled) {
        throw registrationClosed('Self-registration is turned off here; ask an administrator for an account');
      }
      const ctx = { ...systemContext(request.requestId), clientIp: request.clientIp };
      const user = await deps.users.create(ctx, { ...input, role: LOWEST_ROLE, site_ids: [] });
      await deps.onUserRegistered(user);
      return user;
    },
  };
}
export type SettingsService = ReturnType<typeof createSettingsService>;
