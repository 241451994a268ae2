import { defineError } from '../../platform/errors.ts';

export const ambiguousMachine = defineError('conflict', 'AMBIGUOUS_MACHINE');
export const invalidTime = defineError('invalid', 'INVALID_TIME');
export const seriesRangeTooLarge = defineError('malformed', 'SERIES_RANGE_TOO_LARGE');
export const invalidSeriesRange = defineError('malformed', 'INVALID_SERIES_RANGE');
export const thresholdNotFound = defineError('not_found', 'THRESHOLD_NOT_FOUND');
