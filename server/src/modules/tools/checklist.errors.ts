import { defineError } from '../../platform/errors.ts';

export const templateNotFound = defineError('not_found', 'CHECKLIST_TEMPLATE_NOT_FOUND');
export const templateNameTaken = defineError('conflict', 'CHECKLIST_TEMPLATE_NAME_TAKEN');
export const templateInUse = defineError('conflict', 'CHECKLIST_TEMPLATE_IN_USE');
export const sharedTemplateForbidden = defineError('forbidden', 'SHARED_TEMPLATE_FORBIDDEN');
