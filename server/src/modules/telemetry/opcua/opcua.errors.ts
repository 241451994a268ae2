import { defineError } from '../../../platform/errors.ts';

export const opcuaNotConfigured = defineError('not_found', 'OPCUA_NOT_CONFIGURED');
export const opcuaPasswordRequired = defineError('invalid', 'OPCUA_PASSWORD_REQUIRED');
export const opcuaNodeUnknown = defineError('invalid', 'OPCUA_NODE_UNKNOWN');
/** The endpoint could not be reached: no route, refused, unknown host. */
export const opcuaUnreachable = defineError('bad_gateway', 'OPCUA_ENDPOINT_UNREACHABLE');
/** The server offers no endpoint with this security, or refused HOM's certificate. */
export const opcuaSecurityRejected = defineError('bad_gateway', 'OPCUA_SECURITY_REJECTED');
/** The server refused the user name and password (or anonymous access). */
export const opcuaCredentialsRejected = defineError('bad_gateway', 'OPCUA_CREDENTIALS_REJECTED');
/** Anything else the server answered with a bad status. */
export const opcuaServerError = defineError('bad_gateway', 'OPCUA_SERVER_ERROR');
export const opcuaTimeout = defineError('gateway_timeout', 'OPCUA_TIMEOUT');
/** No server certificate with this thumbprint in HOM's store. */
export const opcuaCertificateUnknown = defineError('not_found', 'OPCUA_CERTIFICATE_UNKNOWN');
