import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { assertStorageKey, type FileStore } from './file-store.ts';

export interface S3StoreConfig {
  /** e.g. http://minio.internal:9000; unset for AWS itself. */
  endpoint: string | undefined;
  bucket: string;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO and most S3-compatible servers). */
  forcePathStyle: boolean;
  /** Prepended to every key, e.g. `hom/` to share a bucket; empty by default. */
  prefix?: string;
}

/**
 * Files in an S3-compatible bucket (MinIO, Ceph, AWS S3): the scale-out shape, where several API
 * processes on different hosts share the files. A PUT is atomic on S3 (the object appears whole or
 * not at all), which is the FileStore contract; keys are the server-made storage keys.
 */
export function createS3FileStore(
  config: S3StoreConfig,
  client?: S3Client,
): FileStore & { client: S3Client } {
  const s3 =
    client ??
    new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible servers (older MinIO, Ceph, s3rver)
      // refuse the SDK's default streamed CRC trailers. Integrity still holds: Content-MD5-free PUTs
      // are signed over their whole body (SigV4), and the length is sent.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.accessKeyId && config.secretAccessKey
        ? { credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey } }
        : {}),
    });
  const prefix = config.prefix ?? '';
  const keyOf = (key: string) => {
    assertStorageKey(key);
    return `${prefix}${key}`;
  };
  const missing = (error: unknown) =>
    error instanceof NoSuchKey ||
    (error instanceof S3ServiceException &&
      (error.name === 'NoSuchKey' || error.$metadata.httpStatusCode === 404));

  return {
    client: s3,

    async put(key, data, contentType) {
      await s3.send(
        new PutObjectCommand({
          Bucket: config.bucket,
          Key: keyOf(key),
          Body: data,
          ContentType: contentType,
          ContentLength: data.length,
        }),
      );
    },

    async get(key) {
      try {
        const object = await s3.send(new GetObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
        const body = object.Body;
        if (!body) return null;
        return body instanceof Readable ? body : Readable.fromWeb(body.transformToWebStream() as never);
      } catch (error) {
        if (missing(error)) return null;
        throw error;
      }
    },

    async delete(key) {
      // S3 answers 204 for a key that is not there: removing a missing key is not an error.
      await s3.send(new DeleteObjectCommand({ Bucket: config.bucket, Key: keyOf(key) }));
    },
  };
}
