import { defineError } from '../../platform/errors.ts';

export const toolNotFound = defineError('not_found', 'TOOL_NOT_FOUND');
export const duplicateAssetNumber = defineError('conflict', 'DUPLICATE_ASSET_NUMBER');
export const toolRetired = defineError('conflict', 'TOOL_RETIRED');
export const siteRequired = defineError('invalid', 'SITE_REQUIRED');
export const unknownMachine = defineError('invalid', 'UNKNOWN_MACHINE');
export const positionTaken = defineError('conflict', 'POSITION_TAKEN');
export const toolAlreadyMounted = defineError('conflict', 'TOOL_ALREADY_MOUNTED');
export const toolNotMounted = defineError('conflict', 'TOOL_NOT_MOUNTED');
export const invalidTime = defineError('invalid', 'INVALID_TIME');
export const counterAboveMax = defineError('invalid', 'COUNTER_ABOVE_MAX');
export const readingConflict = defineError('conflict', 'READING_CONFLICT');
export const csvInvalid = defineError('invalid', 'CSV_INVALID');
