import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fixture from '../../files/tests/files.fixtures.ts';
import { createFailuresTestbed, type FailuresTestbed } from './failures.testbed.ts';

/**
 * The upload corpus of issue 6 through POST /failure-reports/:id/photos. The files module's own tests
 * cover the same rules on repairs; here every case goes through the failure-report owner, which takes
 * photos only: each is refused with a 4xx (and nothing stored: no row, no file) or neutralised.
 */
let t: FailuresTestbed;
let reportId: number;
beforeAll(async () => {
  t = await createFailuresTestbed();
  const created = await t.report(t.technician, {
    machine_id: t.machine.id,
    failure_code_id: t.codes['FL-001'],
    description: 'Corpus target',
  });
  reportId = created.json().id;
});
afterAll(() => t?.close());

function upload(filename: string, data: Buffer) {
  const body = fixture.multipart(filename, data);
  return t.h.request({
    method: 'POST',
    url: `/failure-reports/${reportId}/photos`,
    token: t.technician.token,
    payload: body.payload,
    headers: body.headers,
  });
}

const stored = async () => [
  await t.count('attachments'),
  await fixture.storedFiles(t.filesDir).catch(() => []),
];

/** A PNG whose header declares width × height but whose pixel data is a few bytes: a decompression bomb. */
function pngBomb(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A real small JPEG whose frame header (SOF0) is rewritten to declare 65,000 × 65,000 pixels. */
async function jpegBomb(): Promise<Buffer> {
  const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#777' } })
    .jpeg()
    .toBuffer();
  const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  const bomb = Buffer.from(jpeg);
  bomb.writeUInt16BE(65_000, sof + 5);
  bomb.writeUInt16BE(65_000, sof + 7);
  return bomb;
}

describe('failure-report photos: refused, nothing stored', () => {
  const cases: [string, string, () => Buffer | Promise<Buffer>, number, string][] = [
    [
      'plain text',
      'notes.jpg',
      () => Buffer.from('The bearing failed at 06:12, see photo.\n'),
      415,
      'UNSUPPORTED_FILE_TYPE',
    ],
    ...Object.entries(fixture.REFUSED).map(
      ([what, data]) =>
        [what, 'photo.jpg', () => data, 415, 'UNSUPPORTED_FILE_TYPE'] as [
          string,
          string,
          () => Buffer,
          number,
          string,
        ],
    ),
    ['a PDF named .jpg', 'photo.jpg', () => fixture.PDF, 415, 'UNSUPPORTED_FILE_TYPE'],
    [
      'an HTML page named .png',
      'photo.png',
      () => Buffer.from('<html><script>fetch("/auth/me")</script></html>'),
      415,
      'UNSUPPORTED_FILE_TYPE',
    ],
    [
      'a PNG magic number followed by garbage',
      'photo.png',
      () =>
        Buffer.concat([
          Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
          Buffer.alloc(2000, 0x41),
        ]),
      415,
      'UNSUPPORTED_FILE_TYPE',
    ],
    [
      'a PNG header with garbage for pixel data',
      'photo.png',
      () => Buffer.concat([pngBomb(64, 64).subarray(0, 33), Buffer.alloc(500, 0x5a)]),
      422,
      'UNREADABLE_IMAGE',
    ],
    [
      'a JPEG cut in half',
      'cut.jpg',
      async () => {
        const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888' } })
          .jpeg()
          .toBuffer();
        return jpeg.subarray(0, jpeg.length / 2);
      },
      422,
      'UNREADABLE_IMAGE',
    ],
    [
      'a PNG bomb (100,000 × 100,000 declared in 1 KB)',
      'bomb.png',
      () => pngBomb(100_000, 100_000),
      413,
      'IMAGE_TOO_LARGE',
    ],
    ['a JPEG bomb (65,000 × 65,000 declared)', 'bomb.jpg', jpegBomb, 413, 'IMAGE_TOO_LARGE'],
    [
      'an 11 MiB file',
      'big.jpg',
      () => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(11 * 1024 * 1024)]),
      413,
      'FILE_TOO_LARGE',
    ],
    ['a HEIC photo', 'IMG_1.HEIC', () => fixture.HEIC_HEADER, 415, 'UNSUPPORTED_FILE_TYPE'],
  ];

  it.each(cases)('refuses %s', async (_what, name, make, status, code) => {
    const data = await make();
    const before = await stored();
    const response = await upload(name, data);
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json()).toMatchObject({ success: false, error_code: code });
    expect(await stored()).toEqual(before);
  });

  it('keeps serving after the corpus', async () => {
    expect((await t.get(t.viewer, `/failure-reports/${reportId}`)).statusCode).toBe(200);
  });
});

describe('failure-report photos: neutralised', () => {
  it('stores a camera JPEG without EXIF or GPS, re-encoded to display size, with a thumbnail', async () => {
    const input = await fixture.cameraJpeg();
    expect(fixture.hasGpsPointer((await sharp(input).metadata()).exif)).toBe(true);
    const response = await upload('IMG_0042.JPG', input);
    expect(response.statusCode, response.body).toBe(201);
    const photo = response.json();
    expect(photo).toMatchObject({
      owner_type: 'failure_report',
      owner_id: reportId,
      width: 1707,
      height: 2560,
    });

    const full = await t.get(t.viewer, photo.url);
    const meta = await sharp(full.rawPayload).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 1707, height: 2560 });
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(full.rawPayload.includes('ACME Optics')).toBe(false);

    const thumbnail = await sharp((await t.get(t.viewer, photo.thumbnail_url)).rawPayload).metadata();
    expect(thumbnail).toMatchObject({ format: 'jpeg', width: 213, height: 320 });
    expect(thumbnail.exif).toBeUndefined();
  });

  it('turns a PNG named .pdf into a JPEG photo (what it is counts, not its name)', async () => {
    const response = await upload('scan.pdf', await fixture.png());
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ kind: 'image', content_type: 'image/jpeg' });
  });
});
