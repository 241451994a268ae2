import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { assertStorageKey, type FileStore } from './file-store.ts';

/** Files being written; renamed into place when complete. Anything left here after a crash is junk. */
export const INCOMING_FOLDER = '.incoming';

/**
 * Files in a local folder (the embedded shape's default). Each put writes a temporary file in the same
 * folder tree, flushes it to disk and renames it into place, so a crash leaves no half file under a key.
 */
export function createLocalFileStore(dir: string): FileStore {
  const root = path.resolve(dir);
  const incoming = path.join(root, INCOMING_FOLDER);
  // Once at start-up, so the factory stays synchronous and a folder HOM cannot create fails the start.
  mkdirSync(incoming, { recursive: true, mode: 0o750 });

  function pathOf(key: string): string {
    assertStorageKey(key);
    const full = path.resolve(root, key);
    if (!full.startsWith(root + path.sep)) throw new Error(`Storage key escapes the folder: ${key}`);
    return full;
  }

  return {
    async put(key, data) {
      const target = pathOf(key);
      const temporary = path.join(incoming, `${randomUUID()}.tmp`);
      const handle = await fs.open(temporary, 'wx', 0o640);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o750 });
        await fs.rename(temporary, target);
      } catch (error) {
        await fs.rm(temporary, { force: true });
        throw error;
      }
    },

    async get(key) {
      try {
        const handle = await fs.open(pathOf(key), 'r');
        return handle.createReadStream() as Readable;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },

    async delete(key) {
      await fs.rm(pathOf(key), { force: true });
    },
  };
}
