import type { Readable } from 'node:stream';
import {
  requirePermission,
  scopeOf,
  type AuthedContext,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Database, Tx } from '../../platform/db/database.ts';
import { newStorageKey, type FileStore } from '../../platform/storage/file-store.ts';
import { recordChange } from '../audit/index.ts';
import type { AttachmentOutput, Owner, OwnerType } from './files.dto.ts';
import { attachmentNotFound, fileMissing, ownerNotFound, unsupportedFileType } from './files.errors.ts';
import {
  ACCEPTED_PHOTOS,
  checkSize,
  DEFAULT_FILE_LIMITS,
  prepareFile,
  type FileLimits,
} from './files.images.ts';
import { cleanFileName, contentDisposition, downloadName } from './files.names.ts';
import * as attachments from './files.repository.ts';

/**
 * The site of the record an attachment hangs on, as the caller's transaction sees it (row-level
 * security applies), or null when there is no such record or the caller may not see it. Wired in
 * modules.ts from the owning module's public door.
 */
export type OwnerSite = (tx: Tx, ownerType: OwnerType, ownerId: number) => Promise<number | null>;

export interface Upload {
  filename: string | undefined;
  data: Buffer;
  /** Which photo it is (lower-case word, e.g. a tool's angle); checked by the caller's schema. */
  tag?: string | null;
}

export interface Download {
  stream: Readable;
  contentType: string;
  contentDisposition: string;
  sizeBytes: number | null;
}

/** Where each owner's write permission is; reading any attachment needs `plant:read`. */
const WRITE_PERMISSION: Record<OwnerType, string> = {
  repair: 'repair:write',
  tool: 'tool:manage',
  failure_report: 'failure:report',
  maintenance_log: 'toollog:write',
};
const READ_PERMISSION = 'plant:read';
/** Owners that take photos only: a document (PDF) named like a photo is refused, not kept. */
const PHOTOS_ONLY: ReadonlySet<OwnerType> = new Set(['failure_report']);

export function toAttachmentOutput(row: attachments.AttachmentRow): AttachmentOutput {
  return {
    id: row.id,
    site_id: row.site_id,
    owner_type: row.owner_type as OwnerType,
    owner_id: row.owner_id,
    tag: row.tag,
    kind: row.content_type.startsWith('image/') ? 'image' : 'document',
    original_name: row.original_name,
    content_type: row.content_type,
    size_bytes: row.size_bytes,
    width: row.width,
    height: row.height,
    url: `/attachments/${row.id}`,
    thumbnail_url: row.thumbnail_key ? `/attachments/${row.id}?thumbnail=true` : null,
    uploaded_by: row.uploaded_by,
    created_at: row.created_at,
  };
}

/** Photos and documents attached to records: checked, cleaned, stored, listed, downloaded, removed. */
export function createFileService(deps: {
  db: Pick<Database, 'transaction'>;
  store: FileStore;
  ownerSite: OwnerSite;
  limits?: Partial<FileLimits>;
}) {
  const { db, store } = deps;
  const limits: FileLimits = { ...DEFAULT_FILE_LIMITS, ...deps.limits };
  const userOf = (ctx: AuthedContext) => (ctx.actor.kind === 'user' ? ctx.actor.id : null);

  async function siteOrThrow(tx: Tx, owner: Owner): Promise<number> {
    const siteId = await deps.ownerSite(tx, owner.owner_type, owner.owner_id);
    if (siteId === null) throw ownerNotFound(owner.owner_type, owner.owner_id);
    return siteId;
  }

  async function liveOrThrow(tx: Tx, id: number): Promise<attachments.AttachmentRow> {
    const row = await attachments.findAttachment(tx, id);
    if (!row) throw attachmentNotFound(`No attachment with id ${id}`);
    return row;
  }

  return {
    limits,

    async attach(request: RequestContext, owner: Owner, upload: Upload): Promise<AttachmentOutput> {
      const ctx = requirePermission(request, WRITE_PERMISSION[owner.owner_type]);
      checkSize(upload.data.length, limits);
      // A caller who cannot see the record learns nothing about the file rules; no CPU spent on it.
      await db.transaction(scopeOf(ctx), (tx) => siteOrThrow(tx, owner));
      const prepared = await prepareFile(upload.data, limits);
      if (prepared.kind !== 'image' && PHOTOS_ONLY.has(owner.owner_type)) {
        throw unsupportedFileType(
          `The file is a ${prepared.contentType} document, not a photo. ${ACCEPTED_PHOTOS}.`,
        );
      }
      const now = new Date();
      const storageKey = newStorageKey(prepared.extension, now);
      const thumbnailKey = prepared.thumbnail ? newStorageKey('jpg', now, '-thumb') : null;
      // Files first, then the row: a row never points at a missing file. If the row is not written,
      // the files are removed again (a crash in between leaves an unreferenced file, never a broken row).
      await store.put(storageKey, prepared.data, prepared.contentType);
      try {
        if (thumbnailKey && prepared.thumbnail)
          await store.put(thumbnailKey, prepared.thumbnail, 'image/jpeg');
        return await db.transaction(scopeOf(ctx), async (tx) => {
          const row = await attachments.insertAttachment(tx, {
            site_id: await siteOrThrow(tx, owner),
            owner_type: owner.owner_type,
            owner_id: owner.owner_id,
            tag: upload.tag ?? null,
            original_name: cleanFileName(upload.filename),
            content_type: prepared.contentType,
            size_bytes: prepared.data.length,
            storage_key: storageKey,
            thumbnail_key: thumbnailKey,
            width: prepared.width,
            height: prepared.height,
            uploaded_by: userOf(ctx),
          });
          const created = toAttachmentOutput(row);
          await recordChange(tx, ctx, {
            action: 'attach',
            entity: 'attachment',
            entityId: row.id,
            siteId: row.site_id,
            after: { ...created, storage_key: storageKey, uploaded_size_bytes: upload.data.length },
          });
          return created;
        });
      } catch (error) {
        await Promise.allSettled(
          [storageKey, thumbnailKey].flatMap((key) => (key ? [store.delete(key)] : [])),
        );
        throw error;
      }
    },

    async list(request: RequestContext, owner: Owner): Promise<AttachmentOutput[]> {
      const ctx = requirePermission(request, READ_PERMISSION);
      return db.transaction(scopeOf(ctx), async (tx) => {
        await siteOrThrow(tx, owner);
        return (await attachments.listAttachments(tx, owner)).map(toAttachmentOutput);
      });
    },

    async get(request: RequestContext, id: number): Promise<AttachmentOutput> {
      const ctx = requirePermission(request, READ_PERMISSION);
      return toAttachmentOutput(await db.transaction(scopeOf(ctx), (tx) => liveOrThrow(tx, id)));
    },

    async download(
      request: RequestContext,
      id: number,
      options: { thumbnail?: boolean } = {},
    ): Promise<Download> {
      const ctx = requirePermission(request, READ_PERMISSION);
      const row = await db.transaction(scopeOf(ctx), (tx) => liveOrThrow(tx, id));
      const key = options.thumbnail ? row.thumbnail_key : row.storage_key;
      if (!key) throw attachmentNotFound(`Attachment ${id} is a document and has no thumbnail`);
      const stream = await store.get(key);
      if (!stream) throw fileMissing(`The file of attachment ${id} (${key}) is missing from the file store`);
      const image = row.content_type.startsWith('image/');
      const extension = image ? 'jpg' : (key.split('.').pop() ?? 'bin');
      const name = downloadName(row.original_name, extension, options.thumbnail ? '-thumbnail' : '');
      return {
        stream,
        contentType: options.thumbnail ? 'image/jpeg' : row.content_type,
        // Images are shown in the page; anything else is saved, never rendered by the browser.
        contentDisposition: contentDisposition(image ? 'inline' : 'attachment', name),
        sizeBytes: options.thumbnail ? null : row.size_bytes,
      };
    },

    async remove(request: RequestContext, id: number): Promise<void> {
      const authed = requirePermission(request, READ_PERMISSION);
      await db.transaction(scopeOf(authed), async (tx) => {
        const row = await liveOrThrow(tx, id);
        const ctx = requirePermission(request, WRITE_PERMISSION[row.owner_type as OwnerType]);
        if (!(await attachments.markRemoved(tx, id, userOf(ctx))))
          throw attachmentNotFound(`No attachment with id ${id}`);
        await recordChange(tx, ctx, {
          action: 'delete',
          entity: 'attachment',
          entityId: id,
          siteId: row.site_id,
          before: toAttachmentOutput(row),
        });
      });
    },
  };
}
export type FileService = ReturnType<typeof createFileService>;
