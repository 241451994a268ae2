import { defineError } from '../../platform/errors.ts';

export const lineNotFound = defineError('not_found', 'LINE_NOT_FOUND');
export const machineNotFound = defineError('not_found', 'MACHINE_NOT_FOUND');
export const lineCodeTaken = defineError('conflict', 'LINE_CODE_TAKEN');
export const machineCodeTaken = defineError('conflict', 'MACHINE_CODE_TAKEN');
export const siteRequired = defineError('invalid', 'SITE_REQUIRED');
export const siteNotFound = defineError('not_found', 'SITE_NOT_FOUND');
