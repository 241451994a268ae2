import type { HomApp } from '../../platform/http/types.ts';
import { kpiQueryInput, kpiReportOutput } from './kpi.dto.ts';
import type { KpiService } from './kpi.service.ts';

export function kpiRoutes(kpi: KpiService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/kpis',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags: ['kpi'],
          summary: 'Downtime, failures, MTTR, MTBF, availability and Pareto of a site, line or machine',
          querystring: kpiQueryInput,
          response: { 200: kpiReportOutput },
        },
      },
      (request) => {
        const { from, to, ...scope } = request.query;
        return kpi.kpis(request.ctx, scope, { from, to });
      },
    );
  };
}
