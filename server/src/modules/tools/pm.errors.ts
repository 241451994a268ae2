import { defineError } from '../../platform/errors.ts';

export const planNotFound = defineError('not_found', 'PM_PLAN_NOT_FOUND');
export const planNameTaken = defineError('conflict', 'PM_PLAN_NAME_TAKEN');
export const planInUse = defineError('conflict', 'PM_PLAN_IN_USE');
export const planNeedsInterval = defineError('invalid', 'PM_PLAN_NEEDS_INTERVAL');
export const unknownTemplate = defineError('invalid', 'UNKNOWN_CHECKLIST_TEMPLATE');
export const unknownResponsible = defineError('invalid', 'UNKNOWN_RESPONSIBLE_USER');
export const planOfRetiredTool = defineError('conflict', 'PM_PLAN_TOOL_RETIRED');
