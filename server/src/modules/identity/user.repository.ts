import { sql, type Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';
import type { UserTable } from './identity.schema.ts';
import type { UserOutput } from './identity.dto.ts';

type Reader = Kysely<Tables>;

const userColumns = [
  'users.id',
  'users.username',
  'users.full_name',
  'users.email',
  'users.phone',
  'users.role',
  'users.is_active',
  'users.created_at',
  'users.updated_at',
] as const;

const siteIdsOf = sql<
  number[]
>`coalesce((select array_agg(us.site_id order by us.site_id) from user_sites us where us.user_id = users.id), '{}')`;

export async function listUsers(db: Reader): Promise<UserOutput[]> {
  return db
    .selectFrom('users')
    .select([...userColumns, siteIdsOf.as('site_ids')])
    .orderBy('users.username')
    .execute();
}

export async function findUserById(db: Reader, id: number): Promise<UserOutput | undefined> {
  return db
    .selectFrom('users')
    .select([...userColumns, siteIdsOf.as('site_ids')])
    .where('users.id', '=', id)
    .executeTakeFirst();
}

export async function findUserCredentials(db: Reader, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'password_hash', 'is_active', 'role'])
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
}

export async function usernameTaken(db: Reader, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('users')
    .select('id')
    .where(sql`lower(username)`, '=', username.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertUser(
  tx: Tx,
  user: Pick<UserTable, 'username' | 'password_hash' | 'full_name' | 'email' | 'phone' | 'role'>,
): Promise<number> {
  const row = await tx.insertInto('users').values(user).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUserRow(
  tx: Tx,
  id: number,
  changes: Partial<Pick<UserTable, 'full_name' | 'email' | 'phone' | 'role' | 'password_hash'>> & {
    is_active?: boolean;
  },
): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await tx.updateTable('users').set(changes).where('id', '=', id).execute();
}

export async function replaceUserSites(tx: Tx, userId: number, siteIds: readonly number[]): Promise<void> {
  await tx.deleteFrom('user_sites').where('user_id', '=', userId).execute();
  if (siteIds.length > 0) {
    await tx
      .insertInto('user_sites')
      .values(siteIds.map((siteId) => ({ user_id: userId, site_id: siteId })))
      .execute();
  }
}

export async function activeAdminCount(db: Reader): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('role', '=', 'admin')
    .where('is_active', '=', true)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Everything needed to authorise one request, in one query: the user, their sites, their session. */
export async function findPrincipal(db: Reader, userId: number, sessionId: number) {
  return db
    .selectFrom('users')
    .innerJoin('sessions', (join) =>
      join.on('sessions.id', '=', sessionId).onRef('sessions.user_id', '=', 'users.id'),
    )
    .select([
      'users.id',
      'users.username',
      'users.role',
      'users.is_active',
      'sessions.revoked_at',
      siteIdsOf.as('site_ids'),
    ])
    .where('users.id', '=', userId)
    .executeTakeFirst();
}

/** Active users whose role is one of `roles` and who belong to `siteId` (admins belong to every site). */
export async function usersWithPermission(
  db: Reader,
  roles: readonly string[],
  siteId: number | null,
): Promise<number[]> {
  if (roles.length === 0) return [];
  let query = db
    .selectFrom('users')
    .select('users.id')
    .where('users.is_active', '=', true)
    .where('users.role', 'in', roles);
  if (siteId !== null) {
    query = query.where((eb) =>
      eb.or([
        eb('users.role', '=', 'admin'),
        eb.exists(
          eb
            .selectFrom('user_sites')
            .select('user_sites.user_id')
            .whereRef('user_sites.user_id', '=', 'users.id')
            .where('user_sites.site_id', '=', siteId),
        ),
      ]),
    );
  }
  return (await query.execute()).map((row) => row.id);
}

/** Which of `userIds` are active members of the site (admins belong to every site). */
export async function activeSiteMembers(
  db: Reader,
  siteId: number,
  userIds: readonly number[],
): Promise<number[]> {
  if (userIds.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .select('users.id')
    .where('users.id', 'in', userIds)
    .where('users.is_active', '=', true)
    .where((eb) =>
      eb.or([
        eb('users.role', '=', 'admin'),
        eb.exists(
          eb
            .selectFrom('user_sites')
            .select('user_sites.user_id')
            .whereRef('user_sites.user_id', '=', 'users.id')
            .where('user_sites.site_id', '=', siteId),
        ),
      ]),
    )
    .execute();
  return rows.map((row) => row.id);
}
