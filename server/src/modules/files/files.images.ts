import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { fileTooLarge, imageTooLarge, unreadableImage, unsupportedFileType } from './files.errors.ts';

export interface FileLimits {
  /** Largest upload accepted, in bytes. */
  maxBytes: number;
  /** Decompression-bomb guard: images with more pixels are refused before they are decoded. */
  maxImagePixels: number;
  /** Stored images are scaled down to fit this long side (never up). */
  imageLongSide: number;
  thumbnailLongSide: number;
}

export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxImagePixels: 50_000_000,
  imageLongSide: 2560,
  thumbnailLongSide: 320,
};

/** What the bytes really are (magic numbers), whatever the file name or the client's Content-Type say. */
const IMAGES: Record<string, string> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'image/avif': 'AVIF',
};
const DOCUMENTS: Record<string, { label: string; extension: string }> = {
  'application/pdf': { label: 'PDF', extension: 'pdf' },
};
export const ACCEPTED_TYPES = [...Object.values(IMAGES), ...Object.values(DOCUMENTS).map((d) => d.label)];
const ACCEPTED = `Accepted: photos (${Object.values(IMAGES).join(', ')}) and documents (${Object.values(
  DOCUMENTS,
)
  .map((d) => d.label)
  .join(', ')})`;

export const ACCEPTED_PHOTOS = `Accepted: photos (${Object.values(IMAGES).join(', ')})`;

/** What goes into the store: the bytes to keep, their real type, and a thumbnail for images. */
export interface PreparedFile {
  kind: 'image' | 'document';
  contentType: string;
  extension: string;
  data: Buffer;
  width: number | null;
  height: number | null;
  thumbnail: Buffer | null;
}

export function checkSize(size: number, limits: FileLimits): void {
  if (size > limits.maxBytes) {
    throw fileTooLarge(`The file is larger than ${formatBytes(limits.maxBytes)}; send a smaller one`);
  }
}

/**
 * Checks the real type and prepares what is stored. Images are decoded and re-encoded as JPEG:
 * turned upright per their EXIF orientation, scaled to fit the long side, transparency flattened on
 * white, and every piece of metadata (EXIF with camera and GPS position, XMP, IPTC, ICC) left behind.
 * Documents are kept byte for byte.
 */
export async function prepareFile(data: Buffer, limits: FileLimits): Promise<PreparedFile> {
  checkSize(data.length, limits);
  const detected = await fileTypeFromBuffer(data);
  const mime = detected?.mime;
  if (mime && IMAGES[mime]) return reencodeImage(data, limits);
  const document = mime ? DOCUMENTS[mime] : undefined;
  if (mime && document) {
    return {
      kind: 'document',
      contentType: mime,
      extension: document.extension,
      data,
      width: null,
      height: null,
      thumbnail: null,
    };
  }
  const what = detected
    ? `a ${detected.ext.toUpperCase()} file (${detected.mime})`
    : 'of a type HOM does not accept';
  const hint =
    mime === 'image/heic' || mime === 'image/heif'
      ? ' HEIC photos cannot be read here: set the camera to JPEG ("Most Compatible") or share the photo as JPEG.'
      : '';
  throw unsupportedFileType(`The file is ${what}. ${ACCEPTED}.${hint}`);
}

async function reencodeImage(input: Buffer, limits: FileLimits): Promise<PreparedFile> {
  const fit = (side: number) =>
    ({ width: side, height: side, fit: 'inside', withoutEnlargement: true }) as const;
  try {
    const { data, info } = await sharp(input, { failOn: 'error', limitInputPixels: limits.maxImagePixels })
      .rotate()
      .resize(fit(limits.imageLongSide))
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 85, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
    const thumbnail = await sharp(data)
      .resize(fit(limits.thumbnailLongSide))
      .jpeg({ quality: 75, mozjpeg: true })
      .toBuffer();
    return {
      kind: 'image',
      contentType: 'image/jpeg',
      extension: 'jpg',
      data,
      width: info.width,
      height: info.height,
      thumbnail,
    };
  } catch (error) {
    if (/pixel limit/i.test((error as Error).message)) {
      throw imageTooLarge(`The image has more than ${limits.maxImagePixels / 1e6} megapixels`, {
        cause: error,
      });
    }
    throw unreadableImage('The image is damaged or truncated and cannot be read', { cause: error });
  }
}

function formatBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${Math.round(bytes / 1024)} KiB`;
}
