import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import S3rver from '@20minutes/s3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, buildUser } from '../../../test/factories.ts';
import { createHarness } from '../../../test/harness.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { cameraJpeg, multipart } from '../../modules/files/tests/files.fixtures.ts';
import { newStorageKey } from './file-store.ts';
import { createS3FileStore, type S3StoreConfig } from './s3-file-store.ts';

/** A real S3-compatible server (s3rver) on a random loopback port, with one bucket. */
let server: S3rver;
let dir: string;
let config: S3StoreConfig;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-s3-'));
  server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'hom-files' }],
  });
  const { port } = await server.run();
  config = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: 'hom-files',
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  };
});
afterAll(async () => {
  await server?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

/** Whether the bucket holds the key, asked over the S3 protocol (HEAD). */
async function inBucket(store: ReturnType<typeof createS3FileStore>, key: string): Promise<boolean> {
  try {
    await store.client.send(new HeadObjectCommand({ Bucket: config.bucket, Key: key }));
    return true;
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return false;
    throw error;
  }
}

describe('S3 file store', () => {
  it('puts, streams back, and deletes whole objects under server-made keys', async () => {
    const store = createS3FileStore(config);
    const key = newStorageKey('pdf');
    const data = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
    await store.put(key, data, 'application/pdf');
    expect(await inBucket(store, key)).toBe(true);
    const head = await store.client.send(new GetObjectCommand({ Bucket: config.bucket, Key: key }));
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ContentLength).toBe(data.length);

    const stream = await store.get(key);
    expect(stream).not.toBeNull();
    expect((await buffer(stream!)).equals(data)).toBe(true);

    await store.delete(key);
    expect(await store.get(key)).toBeNull();
    expect(await inBucket(store, key)).toBe(false);
  });

  it('answers null for a missing key, deletes a missing key quietly, refuses keys that are not its own', async () => {
    const store = createS3FileStore(config);
    expect(await store.get('2026/01/no-such-file.jpg')).toBeNull();
    await expect(store.delete('2026/01/no-such-file.jpg')).resolves.toBeUndefined();
    await expect(store.put('../etc/passwd', Buffer.from('x'), 'text/plain')).rejects.toThrow(
      /Not a storage key/,
    );
    await expect(store.get('/absolute.jpg')).rejects.toThrow(/Not a storage key/);
  });

  it('fails a put loudly when the bucket does not exist (nothing is pretended stored)', async () => {
    const store = createS3FileStore({ ...config, bucket: 'no-such-bucket' });
    await expect(store.put(newStorageKey('jpg'), Buffer.from('x'), 'image/jpeg')).rejects.toThrow();
  });

  it('keeps a photo uploaded through the app in the bucket, and serves it from there', async () => {
    const h = await createHarness({ config: { s3: config } });
    try {
      const store = createS3FileStore(config);
      const site = await buildSite(h);
      const technician = await buildUser(h, { role: 'technician', site_ids: [site.id] });
      const machine = await buildMachine(h, (await buildLine(h, site.id)).id);
      const repair = await h.request({
        method: 'POST',
        url: '/repairs',
        token: technician.token,
        payload: { machine_id: machine.id, start_datetime: '2026-11-02T08:00:00Z', description: 'Jam' },
      });
      const body = multipart('IMG_7.JPG', await cameraJpeg());
      const uploaded = await h.request({
        method: 'POST',
        url: `/repairs/${repair.json().id}/attachments`,
        token: technician.token,
        payload: body.payload,
        headers: body.headers,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const owner = new pg.Client({ connectionString: h.ownerUrl });
      await owner.connect();
      const { rows } = await owner.query<{ storage_key: string; thumbnail_key: string }>(
        'select storage_key, thumbnail_key from attachments where id = $1',
        [uploaded.json().id],
      );
      await owner.end();
      const [{ storage_key: photoKey, thumbnail_key: thumbnailKey }] = rows as [(typeof rows)[number]];
      // the photo and its thumbnail
      expect(await inBucket(store, photoKey)).toBe(true);
      expect(await inBucket(store, thumbnailKey)).toBe(true);

      const download = await h.request({ method: 'GET', url: uploaded.json().url, token: technician.token });
      expect(download.statusCode).toBe(200);
      const stored = await buffer((await store.get(photoKey))!);
      expect(download.rawPayload.equals(stored)).toBe(true);
      // Nothing went to the local folder.
      const local = path.join(os.tmpdir(), `hom-test-files-${h.databaseName}`);
      const entries = await fs.readdir(local, { recursive: true, withFileTypes: true }).catch(() => []);
      expect(entries.filter((entry) => entry.isFile())).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe('S3 configuration', () => {
  const all = {
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_BUCKET: 'hom-files',
    S3_ACCESS_KEY_ID: 'minio',
    S3_SECRET_ACCESS_KEY: 'minio-secret',
  };
  it('uses S3 only with endpoint, bucket and both keys; path style and us-east-1 by default', () => {
    expect(loadConfig({}).s3).toBeUndefined();
    expect(loadConfig(all).s3).toEqual({
      endpoint: 'http://127.0.0.1:9000',
      bucket: 'hom-files',
      region: 'us-east-1',
      accessKeyId: 'minio',
      secretAccessKey: 'minio-secret',
      forcePathStyle: true,
    });
    expect(loadConfig({ ...all, S3_FORCE_PATH_STYLE: 'false', S3_REGION: 'eu-central-1' }).s3).toMatchObject({
      forcePathStyle: false,
      region: 'eu-central-1',
    });
  });

  it('refuses a partial S3 configuration, naming what is missing', () => {
    const { S3_SECRET_ACCESS_KEY: _secret, ...partial } = all;
    expect(() => loadConfig(partial)).toThrow(ConfigError);
    expect(() => loadConfig(partial)).toThrow(/S3_SECRET_ACCESS_KEY/);
    expect(() => loadConfig({ ...all, S3_BUCKET: 'Not_A_Bucket' })).toThrow(/S3_BUCKET/);
  });
});
