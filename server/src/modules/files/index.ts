export { createFileService, type FileService, type OwnerSite } from './files.service.ts';
export { fileRoutes, uploadOf } from './files.routes.ts';
export { registerFilesGraphql } from './files.graphql.ts';
export { attachmentOutput, type AttachmentOutput, type OwnerType } from './files.dto.ts';
export { DEFAULT_FILE_LIMITS, type FileLimits } from './files.images.ts';
