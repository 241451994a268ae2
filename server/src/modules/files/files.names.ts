const MAX_NAME_LENGTH = 200;

/**
 * The name shown for an upload: only its last path segment, without control, format (bidi override)
 * or separator characters, at most 200 characters. It is a label: nothing is ever stored under it.
 */
export function cleanFileName(raw: string | undefined): string {
  const last = (raw ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [
    ...last
      .normalize('NFC')
      .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
      .replace(/\s+/gu, ' ')
      .trim(),
  ]
    .slice(0, MAX_NAME_LENGTH)
    .join('')
    .trim();
  return cleaned === '' || /^\.+$/.test(cleaned) ? 'file' : cleaned;
}

/** The name a download gets: the upload's name with the extension of what is really stored. */
export function downloadName(originalName: string, extension: string, suffix = ''): string {
  const dot = originalName.lastIndexOf('.');
  const base = dot > 0 ? originalName.slice(0, dot) : originalName;
  return `${base}${suffix}.${extension}`;
}

/**
 * A Content-Disposition header value that no file name can break: a quoted ASCII fallback with every
 * risky character replaced, and the real name percent-encoded as RFC 5987/6266 `filename*`.
 */
export function contentDisposition(type: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
