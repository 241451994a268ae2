import { api, apiRaw, apiRequest, apiUpload } from '../../lib/api.ts';

/** What the server answers for one file attached to a repair (see docs/files.md). */
export interface Attachment {
  id: number;
  site_id: number;
  owner_type: 'repair';
  owner_id: number;
  kind: 'image' | 'document';
  original_name: string;
  content_type: string;
  size_bytes: number;
  width: number | null;
  height: number | null;
  url: string;
  thumbnail_url: string | null;
  uploaded_by: number | null;
  created_at: string;
}

/** What the "Attach file" picker offers; the server decides by the real content anyway. */
export const ATTACHMENT_ACCEPT = 'image/jpeg,image/png,image/webp,image/avif,application/pdf';
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

export const attachmentKeys = {
  all: ['attachments'] as const,
  repair: (repairId: number) => ['attachments', 'repair', repairId] as const,
  file: (path: string) => ['attachments', 'file', path] as const,
};

export const fetchRepairAttachments = (repairId: number) =>
  api.get<Attachment[]>(`/repairs/${repairId}/attachments`);

export function uploadRepairAttachment(
  repairId: number,
  file: File,
  onProgress: (share: number) => void,
): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return apiUpload<Attachment>(`/repairs/${repairId}/attachments`, form, onProgress);
}

export const deleteAttachment = (id: number) => apiRequest<void>('DELETE', `/attachments/${id}`);

/** The file itself (or its thumbnail), fetched with the bearer token: an `<img src>` cannot send it. */
export async function fetchAttachmentBlob(path: string): Promise<Blob> {
  const response = await apiRaw('GET', path);
  return response.blob();
}

export const thumbnailPath = (attachment: Attachment) =>
  attachment.thumbnail_url ?? `/attachments/${attachment.id}?thumbnail=true`;
export const filePath = (attachment: Attachment) => attachment.url || `/attachments/${attachment.id}`;

/** "512 KB", "3.4 MB": sizes as people read them. */
export function formatBytes(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  const shown = new Intl.NumberFormat(language, { maximumFractionDigits: digits }).format(value);
  const names = language === 'ru' ? ['Б', 'КБ', 'МБ', 'ГБ'] : units;
  return `${shown} ${names[unit]}`;
}
