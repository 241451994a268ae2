import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/**
 * A 3000×2000 camera JPEG whose EXIF says "rotate 90° clockwise to show" (orientation 6) and carries
 * the camera's make and model and a GPS position: everything HOM must not keep.
 */
export function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3a6ea5' } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({
      IFD0: { Make: 'ACME Optics', Model: 'Shopfloor Cam 7', Software: 'cam-fw 1.2' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '52/1 31/1 1234/100',
        GPSLongitudeRef: 'E',
        GPSLongitude: '13/1 24/1 5678/100',
      },
    })
    .toBuffer();
}

/** The GPS IFD pointer tag (0x8825) in a little-endian EXIF block, as sharp writes it. */
export function hasGpsPointer(exif: Buffer | undefined): boolean {
  return exif !== undefined && exif.includes(Buffer.from([0x25, 0x88]));
}

export function png(): Promise<Buffer> {
  return sharp({
    create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 160, b: 0, alpha: 0.5 } },
  })
    .png()
    .toBuffer();
}

export const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
  'latin1',
);

/** Files that must never be accepted, whatever they are called. */
export const REFUSED: Record<string, Buffer> = {
  'a Windows program': Buffer.concat([
    Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff', 'latin1'),
    Buffer.alloc(300),
  ]),
  'a ZIP archive': Buffer.concat([
    Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0]),
    randomBytes(200),
  ]),
  'an HTML page': Buffer.from(
    '<!doctype html><html><body><script>alert(document.cookie)</script></body></html>',
  ),
  'an SVG with a script': Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  ),
};

/** The start of an iPhone HEIC photo: HEVC-coded, which this sharp build cannot decode. */
export const HEIC_HEADER = Buffer.concat([
  Buffer.from([0, 0, 0, 0x18]),
  Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1'),
  Buffer.alloc(64),
]);

/** One multipart/form-data body with a file in `field`, as a browser sends it. */
export function multipart(filename: string, data: Buffer, field = 'file') {
  const boundary = `----hom${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/jpeg\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

/** Every stored file under `dir`, relative, ignoring the (empty) incoming folder. */
export async function storedFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}
