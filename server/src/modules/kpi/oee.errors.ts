import { defineError } from '../../platform/errors.ts';

/** The shift asked for is not in the site's calendar (or the site produces around the clock). */
export const oeeUnknownShift = defineError('invalid', 'OEE_UNKNOWN_SHIFT');
