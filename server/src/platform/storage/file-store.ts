import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/**
 * Where uploaded files live. Keys are made by the server (`newStorageKey`), never taken from a user's
 * file name. A local folder by default (`createLocalFileStore`), or an S3-compatible bucket such as
 * MinIO for the scale-out shape (`createS3FileStore`, when S3_BUCKET is set).
 */
export interface FileStore {
  /** Stores `data` under `key` whole or not at all: a reader never sees half a file. */
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** The file's bytes, or null when no file has that key. */
  get(key: string): Promise<Readable | null>;
  /** Removes the file; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Lower-case path segments of letters, digits, `_`, `-` and one dot per name; no `..`, no leading `/`. */
const KEY_PATTERN = /^(?:[a-z0-9_-]+\/){0,4}[a-z0-9_-]+(?:\.[a-z0-9]{1,8})?$/;

export function isStorageKey(key: string): boolean {
  return key.length <= 200 && KEY_PATTERN.test(key);
}

export function assertStorageKey(key: string): void {
  if (!isStorageKey(key)) throw new Error(`Not a storage key: ${JSON.stringify(key)}`);
}

/** `2026/11/<uuid>.jpg`: year and month keep folders small and make backups by period easy. */
export function newStorageKey(extension: string, at: Date = new Date(), suffix = ''): string {
  const year = String(at.getUTCFullYear());
  const month = String(at.getUTCMonth() + 1).padStart(2, '0');
  const key = `${year}/${month}/${randomUUID()}${suffix}.${extension}`;
  assertStorageKey(key);
  return key;
}
