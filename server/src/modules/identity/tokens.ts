import { createHash, createSecretKey, hkdfSync, randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import { unauthenticated } from '../../platform/errors.ts';

const ALGORITHM = 'HS256';
const ISSUER = 'hom';
const AUDIENCE = 'hom-api';

export interface AccessClaims {
  userId: number;
  sessionId: number;
}

export interface TokenSigner {
  sign(claims: AccessClaims): Promise<string>;
  verify(token: string): Promise<AccessClaims>;
  ttlSeconds: number;
}

/** Short-lived access tokens: HS256 pinned, issuer, audience and expiry checked on every request. */
export function createTokenSigner(secret: string, ttlSeconds: number): TokenSigner {
  // A KeyObject, made once: jose would otherwise import raw bytes again on every verification.
  const key = createSecretKey(new Uint8Array(hkdfSync('sha256', secret, 'hom', 'access-token-key', 32)));
  return {
    ttlSeconds,
    async sign({ userId, sessionId }) {
      return new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
        .setSubject(String(userId))
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt()
        .setExpirationTime(`${ttlSeconds}s`)
        .sign(key);
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [ALGORITHM],
          issuer: ISSUER,
          audience: AUDIENCE,
          requiredClaims: ['exp', 'sub', 'sid'],
        });
        const userId = Number(payload.sub);
        const sessionId = Number(payload.sid);
        if (!Number.isSafeInteger(userId) || !Number.isSafeInteger(sessionId)) throw new Error('bad claims');
        return { userId, sessionId };
      } catch (error) {
        const expired = error instanceof joseErrors.JWTExpired;
        throw unauthenticated(
          expired ? 'Your session token has expired: refresh it or sign in again' : 'Invalid access token',
        );
      }
    },
  };
}

/** Opaque, random, stored only as a SHA-256 hash. */
export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Machine API keys look like `hom_<prefix>_<secret>`; only the prefix is stored in clear. */
export function newApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomBytes(6).toString('hex');
  const key = `hom_${prefix}_${randomBytes(24).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

export function apiKeyPrefix(key: string): string | undefined {
  return /^hom_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/.exec(key)?.[1];
}
