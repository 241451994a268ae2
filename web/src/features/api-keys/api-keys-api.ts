import { api } from '../../lib/api.ts';

export interface MachineApiKey {
  id: number;
  site_id: number;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  created_by: number | null;
}

export interface IssuedApiKey extends MachineApiKey {
  /** The plain key; the server shows it only in the answer to its creation. */
  key: string;
}

export const apiKeyKeys = { all: ['api-keys'] as const };

export const fetchApiKeys = () => api.get<MachineApiKey[]>('/api-keys');
export const issueApiKey = (siteId: number, name: string) =>
  api.post<IssuedApiKey>('/api-keys', { site_id: siteId, name });
export const revokeApiKey = (id: number) => api.post<MachineApiKey>(`/api-keys/${id}/revoke`);
