import { hash, verify, type Algorithm } from '@node-rs/argon2';

/** argon2id at OWASP's minimum: 19 MiB, two passes, one lane. */
// `Algorithm` is a const enum; 2 is Argon2id.
export const ARGON2_PARAMS = {
  algorithm: 2 as Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassword(plain: string): Promise<string> {
  return hash(plain, ARGON2_PARAMS);
}

export async function verifyPassword(storedHash: string, plain: string): Promise<boolean> {
  try {
    return await verify(storedHash, plain);
  } catch {
    return false;
  }
}

// Verified against when the username does not exist, so a miss takes as long as a wrong password.
let decoy: Promise<string> | undefined;
export async function burnPasswordCheck(plain: string): Promise<void> {
  decoy ??= hashPassword('decoy-password-never-used');
  await verifyPassword(await decoy, plain);
}
