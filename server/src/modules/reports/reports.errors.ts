import { defineError } from '../../platform/errors.ts';

export const unknownExportFormat = defineError('malformed', 'UNKNOWN_EXPORT_FORMAT');
export const exportTooLarge = defineError('too_large', 'EXPORT_TOO_LARGE');
export const weeklyReportNotFound = defineError('not_found', 'WEEKLY_REPORT_NOT_FOUND');
export const reportSiteNotFound = defineError('not_found', 'REPORT_SITE_NOT_FOUND');
export const weeklyReportFailed = defineError('rejected', 'WEEKLY_REPORT_FAILED');
