import { z } from 'zod';
import { withAccess } from '../../platform/graphql/access.ts';
import type { Builder } from '../../platform/graphql/builder.ts';
import { parseInput } from '../../platform/validation.ts';
import type { AttachmentOutput } from './files.dto.ts';
import type { FileService } from './files.service.ts';

const repairIdArg = z.object({ repairId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

/** Reading attachments over GraphQL; the bytes come from the REST `url` (uploads are REST multipart). */
export function registerFilesGraphql(builder: Builder, files: FileService) {
  const Attachment = builder.objectRef<AttachmentOutput>('Attachment').implement({
    description: 'A photo or document attached to a record; download it from url with the same token',
    fields: (t) => ({
      id: t.exposeID('id'),
      siteId: t.id({ resolve: (a) => a.site_id }),
      ownerType: t.string({ resolve: (a) => a.owner_type }),
      ownerId: t.id({ resolve: (a) => a.owner_id }),
      tag: t.string({ nullable: true, resolve: (a) => a.tag }),
      kind: t.exposeString('kind'),
      originalName: t.string({ resolve: (a) => a.original_name }),
      contentType: t.string({ resolve: (a) => a.content_type }),
      sizeBytes: t.int({ resolve: (a) => a.size_bytes }),
      width: t.int({ nullable: true, resolve: (a) => a.width }),
      height: t.int({ nullable: true, resolve: (a) => a.height }),
      url: t.exposeString('url'),
      thumbnailUrl: t.string({ nullable: true, resolve: (a) => a.thumbnail_url }),
      uploadedBy: t.id({ nullable: true, resolve: (a) => a.uploaded_by }),
      createdAt: t.field({ type: 'DateTime', resolve: (a) => a.created_at }),
    }),
  });
  builder.queryFields((t) => ({
    repairAttachments: t.field({
      type: [Attachment],
      description: 'Photos and documents of a repair, oldest first',
      args: { repairId: t.arg.id({ required: true }) },
      ...withAccess({ permission: 'plant:read' }, (_p, args: { repairId: unknown }, c) =>
        files.list(c.caller, {
          owner_type: 'repair',
          owner_id: parseInput(repairIdArg, args).repairId,
        }),
      ),
    }),
  }));
  return { Attachment };
}
