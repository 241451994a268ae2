import { api } from '../../lib/api.ts';

export interface PlantSite {
  id: number;
  code: string;
  name: string;
  time_zone: string;
  is_active: boolean;
  created_at: string;
}

export interface NewSite {
  code: string;
  name: string;
  time_zone: string;
}

export interface SiteChanges {
  name?: string;
  time_zone?: string;
  is_active?: boolean;
}

export const siteKeys = { all: ['sites'] as const };

export const fetchSites = () => api.get<PlantSite[]>('/sites');
export const createSite = (site: NewSite) => api.post<PlantSite>('/sites', site);
export const updateSite = (id: number, changes: SiteChanges) => api.patch<PlantSite>(`/sites/${id}`, changes);
