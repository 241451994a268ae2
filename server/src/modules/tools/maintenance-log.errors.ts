import { defineError } from '../../platform/errors.ts';

export const logNotFound = defineError('not_found', 'MAINTENANCE_LOG_NOT_FOUND');
export const checklistIncomplete = defineError('invalid', 'CHECKLIST_INCOMPLETE');
export const logSubjectUnknown = defineError('invalid', 'UNKNOWN_LOG_SUBJECT');
export const planOfOtherTool = defineError('invalid', 'PM_PLAN_OF_OTHER_TOOL');
export const unknownPerformer = defineError('invalid', 'UNKNOWN_PERFORMER');
export const logInFuture = defineError('invalid', 'LOG_IN_FUTURE');
