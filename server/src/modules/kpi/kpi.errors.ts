import { defineError } from '../../platform/errors.ts';

/** The site, line or machine asked for does not exist or belongs to a site the caller cannot see. */
export const kpiScopeNotFound = defineError('not_found', 'KPI_SCOPE_NOT_FOUND');
