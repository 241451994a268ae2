import { defineError } from '../../platform/errors.ts';

export const failureReportNotFound = defineError('not_found', 'FAILURE_REPORT_NOT_FOUND');
export const subjectRequired = defineError('invalid', 'TOOL_OR_MACHINE_REQUIRED');
export const unknownTool = defineError('invalid', 'UNKNOWN_TOOL');
export const unknownMachine = defineError('invalid', 'UNKNOWN_MACHINE');
export const unknownFailureCode = defineError('invalid', 'UNKNOWN_FAILURE_CODE');
export const inactiveFailureCode = defineError('invalid', 'INACTIVE_FAILURE_CODE');
export const occurredInFuture = defineError('invalid', 'OCCURRED_IN_FUTURE');
export const toolMachineSites = defineError('invalid', 'TOOL_AND_MACHINE_ON_DIFFERENT_SITES');
export const invalidAssignee = defineError('invalid', 'INVALID_ASSIGNEE');
export const invalidDue = defineError('invalid', 'INVALID_DUE_DATE');
export const photoTooLarge = defineError('too_large', 'FILE_TOO_LARGE');
