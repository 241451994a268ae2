import { AppError, defineError } from '../../platform/errors.ts';

export const attachmentNotFound = defineError('not_found', 'ATTACHMENT_NOT_FOUND');
export const unsupportedFileType = defineError('unsupported_media_type', 'UNSUPPORTED_FILE_TYPE');
export const fileTooLarge = defineError('too_large', 'FILE_TOO_LARGE');
export const imageTooLarge = defineError('too_large', 'IMAGE_TOO_LARGE');
export const unreadableImage = defineError('invalid', 'UNREADABLE_IMAGE');
export const fileMissing = defineError('internal', 'ATTACHMENT_FILE_MISSING');

/** `REPAIR_NOT_FOUND` for a repair: the same code the owner's own routes answer. */
export function ownerNotFound(ownerType: string, ownerId: number): AppError {
  return new AppError(
    'not_found',
    `${ownerType.toUpperCase()}_NOT_FOUND`,
    `No ${ownerType} with id ${ownerId}`,
  );
}
