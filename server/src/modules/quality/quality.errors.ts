import { defineError } from '../../platform/errors.ts';

export const unknownMachines = defineError('invalid', 'UNKNOWN_MACHINE');
export const tooManyResults = defineError('too_large', 'TOO_MANY_RESULTS');
export const ingestUnavailable = defineError('unavailable', 'INGEST_UNAVAILABLE');
export const limitNotFound = defineError('not_found', 'SPEC_LIMIT_NOT_FOUND');
export const limitExists = defineError('conflict', 'SPEC_LIMIT_EXISTS');
export const limitInForce = defineError('conflict', 'SPEC_LIMIT_IN_FORCE');
export const limitSiteNotFound = defineError('not_found', 'SITE_NOT_FOUND');
export const deadLetterNotFound = defineError('not_found', 'DEAD_LETTER_NOT_FOUND');
export const resultScopeNotFound = defineError('not_found', 'NOT_FOUND');
export const invalidPeriod = defineError('invalid', 'INVALID_PERIOD');
export const deadLetterUnprocessable = defineError('invalid', 'DEAD_LETTER_UNPROCESSABLE');
