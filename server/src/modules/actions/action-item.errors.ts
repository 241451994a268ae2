import { defineError } from '../../platform/errors.ts';

export const actionNotFound = defineError('not_found', 'ACTION_NOT_FOUND');
export const invalidActionTransition = defineError('rejected', 'INVALID_ACTION_TRANSITION');
export const actionTransitionForbidden = defineError('forbidden', 'ACTION_TRANSITION_FORBIDDEN');
export const invalidAssignee = defineError('invalid', 'INVALID_ASSIGNEE');
export const siteRequired = defineError('invalid', 'SITE_REQUIRED');
export const unknownMachine = defineError('invalid', 'UNKNOWN_MACHINE');
export const unknownTool = defineError('invalid', 'UNKNOWN_TOOL');
export const actionClosed = defineError('rejected', 'ACTION_CLOSED');
