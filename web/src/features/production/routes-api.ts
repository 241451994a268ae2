import { api } from '../../lib/api.ts';

export interface RouteStep {
  stage_name: string;
  weight: number;
}

/** The ordered stages a product goes through; product_code null is the site's default route. */
export interface ProductionRoute {
  id: number | null;
  site_id: number;
  product_code: string | null;
  name: string;
  /** The built-in default, shown while the site has no default route of its own. */
  built_in: boolean;
  steps: RouteStep[];
  updated_at: string | null;
}

export interface RouteInput {
  site_id: number;
  product_code: string | null;
  name: string;
  steps: RouteStep[];
}

export const routeKeys = {
  site: (siteId: number) => ['production', 'routes', siteId] as const,
};

export const fetchRoutes = (siteId: number) =>
  api.get<ProductionRoute[]>('/production/routes', { site_id: siteId });
export const saveRoute = (input: RouteInput) => api.put<ProductionRoute>('/production/routes', input);
export const deleteRoute = (id: number) => api.delete(`/production/routes/${id}`);
