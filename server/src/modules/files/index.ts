export { createFileService, type FileService, type OwnerSite } from './files.service.ts';
export { fileRoutes } from './files.routes.ts';
export { registerFilesGraphql } from './files.graphql.ts';
export type { AttachmentOutput, OwnerType } from './files.dto.ts';
export { DEFAULT_FILE_LIMITS, type FileLimits } from './files.images.ts';
