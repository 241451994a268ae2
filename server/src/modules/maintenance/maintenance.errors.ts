import { defineError } from '../../platform/errors.ts';

export const downtimeNotFound = defineError('not_found', 'DOWNTIME_NOT_FOUND');
export const downtimeAlreadyOpen = defineError('conflict', 'DOWNTIME_ALREADY_OPEN');
export const downtimeOverlap = defineError('conflict', 'DOWNTIME_OVERLAP');
export const downtimeAlreadyEnded = defineError('conflict', 'DOWNTIME_ALREADY_ENDED');
export const invalidPeriod = defineError('invalid', 'INVALID_PERIOD');
export const unknownReason = defineError('invalid', 'UNKNOWN_REASON');
export const unknownFailureCode = defineError('invalid', 'UNKNOWN_FAILURE_CODE');
export const repairNotFound = defineError('not_found', 'REPAIR_NOT_FOUND');
export const repairCannotClose = defineError('invalid', 'REPAIR_CANNOT_CLOSE');
export const unknownTechnician = defineError('invalid', 'UNKNOWN_TECHNICIAN');
export const downtimeOfOtherMachine = defineError('invalid', 'DOWNTIME_OF_OTHER_MACHINE');
export const downtimeAlreadyExplained = defineError('conflict', 'DOWNTIME_ALREADY_EXPLAINED');
export const invalidSplit = defineError('rejected', 'INVALID_SPLIT');
