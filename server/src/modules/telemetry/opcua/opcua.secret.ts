import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * OPC-UA passwords at rest: AES-256-GCM under a key derived with HKDF-SHA256 from HOM's secret, so
 * every process that shares the secret can read them and a database dump alone cannot. Stored as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url); the machine id is bound in as additional data, so a
 * ciphertext copied to another machine's row does not decrypt.
 */
export interface PasswordBox {
  seal(machineId: number, password: string): string;
  open(machineId: number, sealed: string): string;
}

const INFO = 'hom:opcua:password:v1';

export function createPasswordBox(secret: string): PasswordBox {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
  const aad = (machineId: number) => Buffer.from(`machine:${machineId}`, 'utf8');
  return {
    seal(machineId, password) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(aad(machineId));
      const data = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
      const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
      return `v1.${parts.join('.')}`;
    },
    open(machineId, sealed) {
      const [version, iv, tag, data] = sealed.split('.');
      if (version !== 'v1' || !iv || !tag || data === undefined) {
        throw new Error('the stored OPC-UA password is not in a known format');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(aad(machineId));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}
