export { recordChange, createAuditService, type AuditService, type AuditChange } from './audit.service.ts';
export { auditRoutes } from './audit.routes.ts';
export { registerAuditGraphql } from './audit.graphql.ts';
export { entityChanges } from './audit.repository.ts';
