import { api, apiRequest } from '../../lib/api.ts';
import { clearTokens, getRefreshToken, storeTokens, type TokenPair } from '../../lib/session-tokens.ts';

export interface SiteMembership {
  id: number;
  code: string;
  name: string;
  time_zone: string;
}

export interface CurrentUser {
  id: number;
  username: string;
  full_name: string | null;
  email: string | null;
  role: string;
  is_active: boolean;
  sites: SiteMembership[];
  permissions: string[];
  created_at: string;
}

export const currentUserKey = ['auth', 'me'] as const;

export async function signIn(username: string, password: string): Promise<void> {
  const pair = await apiRequest<TokenPair>('POST', '/auth/login', {
    anonymous: true,
    body: { username, password },
  });
  storeTokens(pair);
}

/** Ends the session on the server (best effort), then forgets the tokens here. */
export async function signOut(): Promise<void> {
  const refreshToken = getRefreshToken();
  try {
    if (refreshToken) await api.post<void>('/auth/logout', { refresh_token: refreshToken });
  } catch {
    // the server may already consider the session over; the local sign-out still happens
  } finally {
    clearTokens();
  }
}

export function fetchCurrentUser(): Promise<CurrentUser> {
  return api.get<CurrentUser>('/auth/me');
}
