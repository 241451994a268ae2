import { api } from '../../lib/api.ts';

export interface PlantUser {
  id: number;
  username: string;
  full_name: string | null;
  email: string | null;
  phone: string | null;
  role: string;
  is_active: boolean;
  site_ids: number[];
  created_at: string;
  updated_at: string;
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  full_name?: string | null;
  email?: string | null;
  site_ids?: number[];
}

export interface UserChanges {
  full_name?: string | null;
  email?: string | null;
  role?: string;
  is_active?: boolean;
  site_ids?: number[];
  password?: string;
}

export const userKeys = { all: ['users'] as const };

export const fetchUsers = () => api.get<PlantUser[]>('/auth/users');
export const createUser = (user: NewUser) => api.post<PlantUser>('/auth/users', user);
export const updateUser = (id: number, changes: UserChanges) =>
  api.patch<PlantUser>(`/auth/users/${id}`, changes);
