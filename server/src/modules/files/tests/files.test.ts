import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fixture from './files.fixtures.ts';
import { createFilesTestbed, type FilesTestbed } from './files.testbed.ts';

let t: FilesTestbed;
beforeAll(async () => {
  t = await createFilesTestbed();
});
afterAll(() => t?.close());

describe('attaching a photo', () => {
  it('re-encodes a camera JPEG upright, without EXIF or GPS, scaled down, with a thumbnail', async () => {
    const input = await fixture.cameraJpeg();
    const before = await sharp(input).metadata();
    expect(before).toMatchObject({ width: 3000, height: 2000, orientation: 6 });
    expect(before.exif?.includes('ACME Optics')).toBe(true);
    expect(fixture.hasGpsPointer(before.exif)).toBe(true);

    const response = await t.upload(t.technician, 'IMG_0042.JPG', input);
    expect(response.statusCode).toBe(201);
    const created = response.json();
    expect(created).toMatchObject({
      owner_type: 'repair',
      owner_id: t.repairId,
      kind: 'image',
      original_name: 'IMG_0042.JPG',
      content_type: 'image/jpeg',
      width: 1707,
      height: 2560,
      uploaded_by: t.technician.id,
      url: `/attachments/${created.id}`,
      thumbnail_url: `/attachments/${created.id}?thumbnail=true`,
    });

    const file = await t.get(t.viewer, created.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers).toMatchObject({
      'content-type': 'image/jpeg',
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="IMG_0042.jpg"; filename*=UTF-8''IMG_0042.jpg`,
    });
    expect(file.rawPayload.length).toBe(created.size_bytes);
    const stored = await sharp(file.rawPayload).metadata();
    expect(stored).toMatchObject({ format: 'jpeg', width: 1707, height: 2560 });
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
    expect(stored.xmp).toBeUndefined();
    expect(file.rawPayload.includes('ACME Optics')).toBe(false);

    const thumbnail = await t.get(t.viewer, created.thumbnail_url);
    expect(thumbnail.statusCode).toBe(200);
    const small = await sharp(thumbnail.rawPayload).metadata();
    expect(small).toMatchObject({ format: 'jpeg', width: 213, height: 320 });
    expect(small.exif).toBeUndefined();

    const audit = await t.owner.query(
      `select action, actor_user_id::int, after from audit_log where entity = 'attachment' and entity_id = $1`,
      [String(created.id)],
    );
    expect(audit.rows).toEqual([
      expect.objectContaining({ action: 'attach', actor_user_id: t.technician.id }),
    ]);
    expect(await fixture.storedFiles(t.dir)).toHaveLength(2);
  });

  it('stores what a file really is, not what its name says', async () => {
    const pngAsPdf = (await t.upload(t.technician, 'scan.pdf', await fixture.png())).json();
    expect(pngAsPdf).toMatchObject({ kind: 'image', content_type: 'image/jpeg', width: 64, height: 48 });
    const pdfAsJpg = await t.upload(t.technician, '..\\..\\Schaltplan; Presse 3 – ü.jpg', fixture.PDF);
    expect(pdfAsJpg.statusCode).toBe(201);
    const document = pdfAsJpg.json();
    expect(document).toMatchObject({
      kind: 'document',
      content_type: 'application/pdf',
      original_name: 'Schaltplan; Presse 3 – ü.jpg',
      size_bytes: fixture.PDF.length,
      width: null,
      thumbnail_url: null,
    });
    const file = await t.get(t.technician, document.url);
    expect(file.headers).toMatchObject({
      'content-type': 'application/pdf',
      'x-content-type-options': 'nosniff',
      'content-disposition': `attachment; filename="Schaltplan_ Presse 3 _ _.pdf"; filename*=UTF-8''Schaltplan%3B%20Presse%203%20%E2%80%93%20%C3%BC.pdf`,
    });
    expect(file.rawPayload.equals(fixture.PDF)).toBe(true);
    expect((await t.get(t.technician, `${document.url}?thumbnail=true`)).statusCode).toBe(404);
  });
});

describe('refusing files', () => {
  it.each(Object.entries(fixture.REFUSED))(
    'refuses %s named .jpg with 415, storing nothing',
    async (_what, data) => {
      const [rows, files] = [await t.rowCount(), await fixture.storedFiles(t.dir)];
      const response = await t.upload(t.technician, 'photo.jpg', data);
      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ success: false, error_code: 'UNSUPPORTED_FILE_TYPE' });
      expect(response.json().message).toMatch(
        /Accepted: photos \(JPEG, PNG, WebP, AVIF\) and documents \(PDF\)/,
      );
      expect(await t.rowCount()).toBe(rows);
      expect(await fixture.storedFiles(t.dir)).toEqual(files);
    },
  );

  it('refuses a HEIC photo, saying how to send it instead', async () => {
    const response = await t.upload(t.technician, 'IMG_1.HEIC', fixture.HEIC_HEADER);
    expect(response.statusCode).toBe(415);
    expect(response.json().message).toMatch(/HEIC photos cannot be read here/);
  });

  it('refuses an 11 MiB file with 413: no row, no file', async () => {
    const [rows, files] = [await t.rowCount(), await fixture.storedFiles(t.dir)];
    const big = Buffer.concat([fixture.PDF, Buffer.alloc(11 * 1024 * 1024, 0x20)]);
    const response = await t.upload(t.technician, 'manual.pdf', big);
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error_code: 'FILE_TOO_LARGE' });
    expect(await t.rowCount()).toBe(rows);
    expect(await fixture.storedFiles(t.dir)).toEqual(files);
  });

  it('refuses a damaged image (422), a request without a file part (422) and a JSON body (415)', async () => {
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: '#888' } })
      .jpeg()
      .toBuffer();
    const damaged = await t.upload(t.technician, 'cut.jpg', jpeg.subarray(0, jpeg.length / 2));
    expect(damaged.statusCode).toBe(422);
    expect(damaged.json()).toMatchObject({ error_code: 'UNREADABLE_IMAGE' });
    const wrongField = await t.upload(t.technician, 'a.pdf', fixture.PDF, t.repairId, 'document');
    expect(wrongField.statusCode).toBe(422);
    const json = await t.app.inject({
      method: 'POST',
      url: `/repairs/${t.repairId}/attachments`,
      payload: { file: 'x' },
      headers: t.as(t.technician),
    });
    expect(json.statusCode).toBe(415);
  });

  it.each([
    ['no boundary', 400, 'multipart/form-data', Buffer.from('--x\r\n\r\n')],
    ['garbage', 400, 'multipart/form-data; boundary=x', Buffer.from('not multipart at all')],
    [
      'a cut-off body',
      400,
      'multipart/form-data; boundary=x',
      Buffer.from('--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4'),
    ],
    [
      'two files',
      422,
      'multipart/form-data; boundary=x',
      Buffer.from(
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF\r\n--x\r\nContent-Disposition: form-data; name="file"; filename="b.pdf"\r\n\r\n%PDF\r\n--x--\r\n',
      ),
    ],
  ])(
    'answers a malformed multipart body (%s) with %i and stores nothing',
    async (_what, status, type, payload) => {
      const rows = await t.rowCount();
      const response = await t.app.inject({
        method: 'POST',
        url: `/repairs/${t.repairId}/attachments`,
        payload,
        headers: { 'content-type': type, ...t.as(t.technician) },
      });
      expect(response.statusCode, response.body).toBe(status);
      expect(await t.rowCount()).toBe(rows);
    },
  );
});
