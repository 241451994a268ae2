import { defineError } from '../../platform/errors.ts';

export const invalidMicroStopPeriod = defineError('invalid', 'INVALID_PERIOD');
