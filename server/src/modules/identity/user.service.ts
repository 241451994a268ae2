import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { recordChange } from '../audit/index.ts';
import type { CreateUserInput, UpdateUserInput, UserOutput } from './identity.dto.ts';
import { lastAdmin, unknownSites, userNotFound, usernameTaken } from './identity.errors.ts';
import { hashPassword } from './passwords.ts';
import type { RoleName } from './permissions.ts';
import { findSitesByIds } from './site.repository.ts';
import * as users from './user.repository.ts';

export function createUserService(deps: { db: Pick<Database, 'transaction'> }) {
  const { db } = deps;

  async function getOrThrow(tx: Tx, id: number): Promise<UserOutput> {
    const user = await users.findUserById(tx, id);
    if (!user) throw userNotFound(`No user with id ${id}`);
    return user;
  }

  async function checkSites(tx: Tx, siteIds: readonly number[] | undefined): Promise<void> {
    if (!siteIds || siteIds.length === 0) return;
    const unique = [...new Set(siteIds)];
    const found = await findSitesByIds(tx, unique);
    const missing = unique.filter((id) => !found.some((site) => site.id === id));
    if (missing.length > 0) {
      throw unknownSites(`No site with id ${missing.join(', ')}`, {
        errors: [{ field: 'site_ids', message: `unknown site ${missing.join(', ')}` }],
      });
    }
  }

  async function keepOneAdmin(tx: Tx, before: UserOutput, role: string, active: boolean): Promise<void> {
    const losesAdmin = before.role === 'admin' && before.is_active && (role !== 'admin' || !active);
    if (losesAdmin && (await users.activeAdminCount(tx)) <= 1) {
      throw lastAdmin('This is the last active admin: make another admin first');
    }
  }

  /** Creates a user; also used by bootstrap and self-registration with the system context. */
  async function create(ctx: AuthedContext, input: CreateUserInput): Promise<UserOutput> {
    const passwordHash = await hashPassword(input.password);
    return db.transaction(scopeOf(ctx), async (tx) => {
      if (await users.usernameTaken(tx, input.username)) {
        throw usernameTaken(`The username "${input.username}" is taken`, {
          errors: [{ field: 'username', message: 'already taken' }],
        });
      }
      await checkSites(tx, input.site_ids);
      const id = await users.insertUser(tx, {
        username: input.username,
        password_hash: passwordHash,
        full_name: input.full_name ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        role: input.role,
      });
      await users.replaceUserSites(tx, id, [...new Set(input.site_ids ?? [])]);
      const created = await getOrThrow(tx, id);
      await recordChange(tx, ctx, { action: 'create', entity: 'user', entityId: id, after: created });
      return created;
    });
  }

  return {
    create,

    async list(request: RequestContext): Promise<UserOutput[]> {
      const ctx = requirePermission(request, 'user:read');
      return db.transaction(scopeOf(ctx), (tx) => users.listUsers(tx));
    },

    async get(request: RequestContext, id: number): Promise<UserOutput> {
      const ctx = requirePermission(request, 'user:read');
      return db.transaction(scopeOf(ctx), (tx) => getOrThrow(tx, id));
    },

    async createByAdmin(request: RequestContext, input: CreateUserInput): Promise<UserOutput> {
      return create(requirePermission(request, 'user:manage'), input);
    },

    async update(request: RequestContext, id: number, input: UpdateUserInput): Promise<UserOutput> {
      const ctx = requirePermission(request, 'user:manage');
      const passwordHash = input.password ? await hashPassword(input.password) : undefined;
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await getOrThrow(tx, id);
        await keepOneAdmin(tx, before, input.role ?? before.role, input.is_active ?? before.is_active);
        await checkSites(tx, input.site_ids);
        await users.updateUserRow(tx, id, {
          ...(input.full_name !== undefined ? { full_name: input.full_name } : {}),
          ...(input.email !== undefined ? { email: input.email } : {}),
          ...(input.phone !== undefined ? { phone: input.phone } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.is_active !== undefined ? { is_active: input.is_active } : {}),
          ...(passwordHash ? { password_hash: passwordHash } : {}),
        });
        if (input.site_ids) await users.replaceUserSites(tx, id, [...new Set(input.site_ids)]);
        const after = await getOrThrow(tx, id);
        const action = input.is_active === false && before.is_active ? 'disable' : 'update';
        await recordChange(tx, ctx, {
          action,
          entity: 'user',
          entityId: id,
          before,
          after: passwordHash ? { ...after, password_changed: true } : after,
        });
        return after;
      });
    },

    async setRole(request: RequestContext, id: number, role: RoleName): Promise<UserOutput> {
      const ctx = requirePermission(request, 'user:manage');
      return db.transaction(scopeOf(ctx), async (tx) => {
        const before = await getOrThrow(tx, id);
        await keepOneAdmin(tx, before, role, before.is_active);
        await users.updateUserRow(tx, id, { role });
        const after = await getOrThrow(tx, id);
        await recordChange(tx, ctx, { action: 'set_role', entity: 'user', entityId: id, before, after });
        return after;
      });
    },
  };
}
export type UserService = ReturnType<typeof createUserService>;
