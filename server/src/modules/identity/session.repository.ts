import { sql, type Kysely } from 'kysely';
import type { Tx } from '../../platform/db/database.ts';
import type { Tables } from '../../platform/db/tables.ts';

type Reader = Kysely<Tables>;

export interface AttemptCounts {
  /** The asking address signed in to this account successfully within 30 days. */
  knownAddress: boolean;
  accountRecentFromUnknown: number;
  accountLastHour: number;
  addressRecent: number;
  oldestAccountRecent: Date | null;
  oldestAccountHour: Date | null;
  oldestAddressRecent: Date | null;
}

/** Failure counts for throttling sign-in (see docs/security.md). */
export async function countFailures(
  db: Reader,
  username: string,
  clientIp: string,
  windowMinutes: number,
): Promise<AttemptCounts> {
  const result = await sql<{
    known_address: boolean;
    account_unknown: number;
    account_hour: number;
    address_recent: number;
    oldest_account_recent: Date | null;
    oldest_account_hour: Date | null;
    oldest_address_recent: Date | null;
  }>`
    with known as (
      select distinct client_ip from login_attempts
      where lower(username) = lower(${username}) and succeeded and at > now() - interval '30 days'
    ),
    account as (
      select at, client_ip in (select client_ip from known) as from_known from login_attempts
      where lower(username) = lower(${username}) and not succeeded and at > now() - interval '1 hour'
    ),
    address as (
      select at from login_attempts
      where client_ip = ${clientIp} and not succeeded and at > now() - make_interval(mins => ${windowMinutes})
    )
    select
      exists (select 1 from known where client_ip = ${clientIp}) as known_address,
      (select count(*) from account where not from_known and at > now() - make_interval(mins => ${windowMinutes}))::int as account_unknown,
      (select count(*) from account)::int as account_hour,
      (select count(*) from address)::int as address_recent,
      (select min(at) from account where not from_known and at > now() - make_interval(mins => ${windowMinutes})) as oldest_account_recent,
      (select min(at) from account) as oldest_account_hour,
      (select min(at) from address) as oldest_address_recent
  `.execute(db);
  const row = result.rows[0];
  return {
    knownAddress: row?.known_address ?? false,
    accountRecentFromUnknown: row?.account_unknown ?? 0,
    accountLastHour: row?.account_hour ?? 0,
    addressRecent: row?.address_recent ?? 0,
    oldestAccountRecent: row?.oldest_account_recent ?? null,
    oldestAccountHour: row?.oldest_account_hour ?? null,
    oldestAddressRecent: row?.oldest_address_recent ?? null,
  };
}

export async function recordAttempt(
  db: Reader,
  username: string,
  clientIp: string,
  succeeded: boolean,
): Promise<void> {
  await db
    .insertInto('login_attempts')
    .values({ username: username.slice(0, 64), client_ip: clientIp, succeeded })
    .execute();
}

export async function pruneAttempts(db: Reader): Promise<void> {
  await db
    .deleteFrom('login_attempts')
    .where('at', '<', sql<Date>`now() - interval '31 days'`)
    .execute();
}

export async function insertSession(
  tx: Tx,
  userId: number,
  userAgent: string | undefined,
  clientIp: string,
): Promise<number> {
  const row = await tx
    .insertInto('sessions')
    .values({ user_id: userId, user_agent: userAgent?.slice(0, 300) ?? null, client_ip: clientIp })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function insertRefreshToken(
  tx: Tx,
  sessionId: number,
  hash: Buffer,
  expiresAt: Date,
): Promise<void> {
  await tx
    .insertInto('refresh_tokens')
    .values({ session_id: sessionId, token_hash: hash, expires_at: expiresAt })
    .execute();
}

/** Marks the token used and returns it with its session; locks the row so a token rotates once. */
export async function claimRefreshToken(tx: Tx, hash: Buffer) {
  return tx
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'refresh_tokens.id',
      'refresh_tokens.session_id',
      'refresh_tokens.expires_at',
      'refresh_tokens.used_at',
      'sessions.revoked_at',
      'sessions.user_id',
      'users.is_active',
    ])
    .where('refresh_tokens.token_hash', '=', hash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markRefreshTokenUsed(tx: Tx, id: number): Promise<void> {
  await tx.updateTable('refresh_tokens').set({ used_at: new Date() }).where('id', '=', id).execute();
}

export async function revokeSession(db: Reader, sessionId: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeUserSessions(db: Reader, userId: number): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}
