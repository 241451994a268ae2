import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

export interface RoleDefinition {
  name: string;
  description: string;
  permissions: string[];
}

export interface RoleCatalogue {
  roles: RoleDefinition[];
  permissions: { name: string; description: string }[];
}

export const roleKeys = { all: ['roles'] as const };

export const fetchRoles = () => api.get<RoleCatalogue>('/auth/roles');

/** The fixed role names, used until (or if) the catalogue cannot be loaded. */
export const knownRoleNames = ['admin', 'manager', 'planner', 'technician', 'operator', 'viewer', 'machine'];

export function useRoleCatalogue() {
  return useQuery({ queryKey: roleKeys.all, queryFn: fetchRoles, staleTime: 5 * 60_000 });
}
