import type { HomApp } from '../../platform/http/types.ts';
import { oeeDrilldownInput, oeeDrilldownOutput, oeeQueryInput, oeeReportOutput } from './oee.dto.ts';
import type { OeeService } from './oee.service.ts';

export function oeeRoutes(oee: OeeService) {
  return async function routes(app: HomApp): Promise<void> {
    app.get(
      '/kpi/oee',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags: ['kpi'],
          summary:
            'OEE = availability × performance × quality of a machine, line or site, per machine, shift and day (docs/kpis.md)',
          querystring: oeeQueryInput,
          response: { 200: oeeReportOutput },
        },
      },
      (request) => oee.oee(request.ctx, request.query),
    );
    app.get(
      '/kpi/oee/drilldown',
      {
        config: { access: { permission: 'plant:read' } },
        schema: {
          tags: ['kpi'],
          summary:
            'The events behind a machine’s OEE: stops, stale periods, counts per hour, ideal cycle times, verdicts (≤ 31 days)',
          querystring: oeeDrilldownInput,
          response: { 200: oeeDrilldownOutput },
        },
      },
      (request) => oee.drilldown(request.ctx, request.query),
    );
  };
}
