import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../../platform/auth/actor.ts';
import type { Database, Tx } from '../../../platform/db/database.ts';
import { isStorageKey, newStorageKey, type FileStore } from '../../../platform/storage/file-store.ts';
import { createLocalFileStore } from '../../../platform/storage/local-file-store.ts';
import { cleanFileName, contentDisposition, downloadName } from '../files.names.ts';
import { createFileService } from '../files.service.ts';
import { PDF } from './files.fixtures.ts';

describe('file names', () => {
  it('keeps only a label: last path segment, no control or bidi characters, never empty', () => {
    expect(cleanFileName('../../etc/passwd')).toBe('passwd');
    expect(cleanFileName('C:\\Users\\anna\\Desktop\\Lager 6204.jpg')).toBe('Lager 6204.jpg');
    expect(cleanFileName('report\u202Egpj.exe')).toBe('reportgpj.exe');
    expect(cleanFileName('a\r\nX-Evil: 1\t.pdf')).toBe('aX-Evil: 1.pdf');
    expect(cleanFileName('  ')).toBe('file');
    expect(cleanFileName('..')).toBe('file');
    expect(cleanFileName(undefined)).toBe('file');
    expect([...cleanFileName('ж'.repeat(500))]).toHaveLength(200);
  });

  it('names a download after what is stored and quotes it safely (RFC 6266 / 5987)', () => {
    expect(downloadName('scan.pdf', 'jpg')).toBe('scan.jpg');
    expect(downloadName('.profile', 'pdf')).toBe('.profile.pdf');
    expect(downloadName('IMG_1.HEIC', 'jpg', '-thumbnail')).toBe('IMG_1-thumbnail.jpg');
    expect(contentDisposition('attachment', 'a"b\\c;d%e (1)*.pdf')).toBe(
      `attachment; filename="a_b_c_d_e (1)*.pdf"; filename*=UTF-8''a%22b%5Cc%3Bd%25e%20%281%29%2A.pdf`,
    );
    expect(contentDisposition('inline', 'Фото.jpg')).toBe(
      `inline; filename="____.jpg"; filename*=UTF-8''%D0%A4%D0%BE%D1%82%D0%BE.jpg`,
    );
  });
});

describe('local file store', () => {
  const dirs: string[] = [];
  const freshStore = async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-store-'));
    dirs.push(dir);
    return { dir: path.join(dir, 'files'), store: createLocalFileStore(path.join(dir, 'files')) };
  };
  afterAll(() => Promise.all(dirs.map((dir) => fs.rm(dir, { recursive: true, force: true }))));

  it('creates its folder, writes whole files under server-made keys, reads and deletes them', async () => {
    const { dir, store } = await freshStore();
    const key = newStorageKey('pdf', new Date('2026-11-05T10:00:00Z'));
    expect(key).toMatch(/^2026\/11\/[0-9a-f-]{36}\.pdf$/);
    await store.put(key, Buffer.from('hello'), 'application/pdf');
    expect(await fs.readFile(path.join(dir, key), 'utf8')).toBe('hello');
    expect(await fs.readdir(path.join(dir, '.incoming'))).toEqual([]);
    expect(await text((await store.get(key))!)).toBe('hello');
    await store.delete(key);
    await store.delete(key);
    expect(await store.get(key)).toBeNull();
  });

  it('refuses keys that are not its own: paths out of the folder, user names, hidden files', async () => {
    const { store } = await freshStore();
    for (const key of [
      '../x.jpg',
      '/etc/passwd',
      '2026/../../x',
      'a//b.jpg',
      'Photo 1.JPG',
      '.incoming/x',
      '',
    ]) {
      expect(isStorageKey(key), key).toBe(false);
      await expect(store.put(key, Buffer.from('x'), 'image/jpeg')).rejects.toThrow(/storage key/i);
      await expect(store.get(key)).rejects.toThrow(/storage key/i);
    }
  });
});

describe('file service rules (typed fakes)', () => {
  function memoryStore() {
    const files = new Map<string, Buffer>();
    const store: FileStore = {
      put: async (key, data) => void files.set(key, data),
      get: async (key) => (files.has(key) ? Readable.from(files.get(key)!) : null),
      delete: async (key) => void files.delete(key),
    };
    return { files, store };
  }
  const tx = {} as Tx;
  const owner = { owner_type: 'repair', owner_id: 7 } as const;

  it('refuses an image over the pixel limit before decoding it', async () => {
    const { files, store } = memoryStore();
    const db: Pick<Database, 'transaction'> = { transaction: (_scope, work) => work(tx) };
    const service = createFileService({
      db,
      store,
      ownerSite: async () => 1,
      limits: { maxImagePixels: 10_000 },
    });
    const big = await sharp({ create: { width: 200, height: 200, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    await expect(
      service.attach(systemContext(), owner, { filename: 'a.png', data: big }),
    ).rejects.toMatchObject({
      code: 'IMAGE_TOO_LARGE',
      kind: 'too_large',
    });
    expect(files.size).toBe(0);
  });

  it('removes the stored files again when the row cannot be written', async () => {
    const { files, store } = memoryStore();
    let calls = 0;
    const db: Pick<Database, 'transaction'> = {
      transaction: async (_scope, work) => {
        calls += 1;
        if (calls === 2) throw new Error('database went away');
        return work(tx);
      },
    };
    const service = createFileService({ db, store, ownerSite: async () => 1 });
    await expect(service.attach(systemContext(), owner, { filename: 'a.pdf', data: PDF })).rejects.toThrow(
      'database went away',
    );
    expect(files.size).toBe(0);
  });

  it('answers 404 for a record the caller cannot see before looking at the file', async () => {
    const { store } = memoryStore();
    const db: Pick<Database, 'transaction'> = { transaction: (_scope, work) => work(tx) };
    const service = createFileService({ db, store, ownerSite: async () => null });
    await expect(
      service.attach(systemContext(), owner, { filename: 'x.exe', data: Buffer.from('MZ') }),
    ).rejects.toMatchObject({ code: 'REPAIR_NOT_FOUND', kind: 'not_found' });
  });
});
