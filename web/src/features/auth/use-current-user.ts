import { useQuery } from '@tanstack/react-query';
import { currentUserKey, fetchCurrentUser, type CurrentUser } from './auth-api.ts';

export type Permission =
  | 'user:read'
  | 'user:manage'
  | 'site:manage'
  | 'apikey:manage'
  | 'audit:read'
  | 'settings:manage'
  | 'plant:read'
  | 'plant:manage'
  | 'downtime:record'
  | 'repair:write'
  | 'catalog:manage'
  | 'production:read'
  | 'workorder:plan'
  | 'stage:work'
  | 'issue:manage'
  | 'quality:manage'
  | 'tool:manage'
  | 'failure:report'
  | 'shots:record'
  | 'toollog:write'
  | 'action:work'
  | 'action:manage'
  | 'report:read'
  | 'telemetry:manage';

export function useCurrentUser() {
  return useQuery({ queryKey: currentUserKey, queryFn: fetchCurrentUser, staleTime: 60_000 });
}

export function can(user: CurrentUser | undefined, permission: Permission): boolean {
  return user?.permissions.includes(permission) ?? false;
}
