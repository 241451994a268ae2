import type { RequestContext } from '../../platform/auth/actor.ts';
import { SYSTEM_SCOPE, type Database } from '../../platform/db/database.ts';
import type { TokenOutput } from './identity.dto.ts';
import {
  accountDisabled,
  invalidCredentials,
  invalidRefreshToken,
  tooManyAttempts,
} from './identity.errors.ts';
import { burnPasswordCheck, verifyPassword } from './passwords.ts';
import * as sessions from './session.repository.ts';
import { newRefreshToken, sha256, type TokenSigner } from './tokens.ts';
import { findUserCredentials } from './user.repository.ts';

/**
 * Sign-in throttling. Failures from addresses that never signed in to the account are limited per
 * account; every failure counts toward an hourly ceiling per account and a limit per address. All
 * limits are windows that expire: nobody is ever locked out for good, and an attacker elsewhere
 * cannot lock the owner out of a workstation they have signed in from before.
 */
export const THROTTLE = {
  windowMinutes: 15,
  perAccountFromUnknownAddresses: 10,
  perAccountPerHour: 100,
  perAddress: 50,
} as const;

export interface SessionDeps {
  db: Pick<Database, 'transaction' | 'direct'>;
  signer: TokenSigner;
  refreshTokenTtlDays: number;
}

export function createSessionService({ db, signer, refreshTokenTtlDays }: SessionDeps) {
  async function issueTokens(sessionId: number, userId: number): Promise<TokenOutput> {
    const refresh = newRefreshToken();
    const expiresAt = new Date(Date.now() + refreshTokenTtlDays * 86_400_000);
    await db.transaction(SYSTEM_SCOPE, (tx) =>
      sessions.insertRefreshToken(tx, sessionId, refresh.hash, expiresAt),
    );
    return {
      access_token: await signer.sign({ userId, sessionId }),
      token_type: 'bearer',
      expires_in: signer.ttlSeconds,
      refresh_token: refresh.token,
    };
  }

  async function throttle(username: string, clientIp: string): Promise<void> {
    const counts = await sessions.countFailures(db.direct, username, clientIp, THROTTLE.windowMinutes);
    const windowMs = THROTTLE.windowMinutes * 60_000;
    const waits: number[] = [];
    if (
      !counts.knownAddress &&
      counts.accountRecentFromUnknown >= THROTTLE.perAccountFromUnknownAddresses &&
      counts.oldestAccountRecent
    ) {
      waits.push(counts.oldestAccountRecent.getTime() + windowMs - Date.now());
    }
    if (counts.accountLastHour >= THROTTLE.perAccountPerHour && counts.oldestAccountHour) {
      waits.push(counts.oldestAccountHour.getTime() + 3_600_000 - Date.now());
    }
    if (counts.addressRecent >= THROTTLE.perAddress && counts.oldestAddressRecent) {
      waits.push(counts.oldestAddressRecent.getTime() + windowMs - Date.now());
    }
    if (waits.length > 0) {
      const seconds = Math.max(1, Math.ceil(Math.max(...waits) / 1000));
      throw tooManyAttempts(`Too many failed sign-ins: try again in ${seconds} s`, {
        retryAfterSeconds: seconds,
      });
    }
  }

  return {
    async login(request: RequestContext, username: string, password: string): Promise<TokenOutput> {
      await throttle(username, request.clientIp);
      const user = await findUserCredentials(db.direct, username);
      const valid = user
        ? await verifyPassword(user.password_hash, password)
        : (await burnPasswordCheck(password), false);
      await sessions.recordAttempt(db.direct, username, request.clientIp, valid);
      if (!user || !valid) throw invalidCredentials('Wrong username or password');
      if (!user.is_active) throw accountDisabled('This account is disabled; ask an administrator');
      const sessionId = await db.transaction(SYSTEM_SCOPE, (tx) =>
        sessions.insertSession(tx, user.id, request.userAgent, request.clientIp),
      );
      return issueTokens(sessionId, user.id);
    },

    /** Rotates: the old token is spent. Presenting a spent token again ends the whole session. */
    async refresh(refreshToken: string): Promise<TokenOutput> {
      const outcome = await db.transaction(SYSTEM_SCOPE, async (tx) => {
        const row = await sessions.claimRefreshToken(tx, sha256(refreshToken));
        if (!row) return { error: 'unknown' as const };
        if (row.used_at !== null) return { error: 'reused' as const, sessionId: row.session_id };
        if (row.revoked_at !== null || row.expires_at < new Date() || !row.is_active)
          return { error: 'ended' as const };
        await sessions.markRefreshTokenUsed(tx, row.id);
        return { sessionId: row.session_id, userId: row.user_id };
      });
      if ('error' in outcome) {
        if (outcome.error === 'reused' && outcome.sessionId)
          await sessions.revokeSession(db.direct, outcome.sessionId);
        throw invalidRefreshToken('This refresh token is not valid any more; sign in again');
      }
      return issueTokens(outcome.sessionId, outcome.userId);
    },

    async logout(request: RequestContext, refreshToken: string | undefined): Promise<void> {
      if (request.actor?.sessionId) await sessions.revokeSession(db.direct, request.actor.sessionId);
      if (refreshToken) {
        const row = await db.transaction(SYSTEM_SCOPE, (tx) =>
          sessions.claimRefreshToken(tx, sha256(refreshToken)),
        );
        if (row) await sessions.revokeSession(db.direct, row.session_id);
      }
    },

    revokeUserSessions: (userId: number) => sessions.revokeUserSessions(db.direct, userId),
  };
}
export type SessionService = ReturnType<typeof createSessionService>;
