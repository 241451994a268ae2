import { defineError } from '../../platform/errors.ts';

export const userNotFound = defineError('not_found', 'USER_NOT_FOUND');
export const usernameTaken = defineError('conflict', 'USERNAME_TAKEN');
export const lastAdmin = defineError('conflict', 'LAST_ADMIN');
export const unknownSites = defineError('invalid', 'UNKNOWN_SITE');
export const siteNotFound = defineError('not_found', 'SITE_NOT_FOUND');
export const siteCodeTaken = defineError('conflict', 'SITE_CODE_TAKEN');
export const invalidCredentials = defineError('unauthenticated', 'INVALID_CREDENTIALS');
export const accountDisabled = defineError('forbidden', 'ACCOUNT_DISABLED');
export const tooManyAttempts = defineError('throttled', 'TOO_MANY_ATTEMPTS');
export const invalidRefreshToken = defineError('unauthenticated', 'INVALID_REFRESH_TOKEN');
export const registrationClosed = defineError('forbidden', 'REGISTRATION_DISABLED');
export const apiKeyNotFound = defineError('not_found', 'API_KEY_NOT_FOUND');
export const invalidApiKey = defineError('unauthenticated', 'INVALID_API_KEY');
export const adminExists = defineError('conflict', 'ADMIN_EXISTS');
