import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './auto-downtime.dto.ts';
import type { AutoDowntimeService } from './auto-downtime.settings.ts';

/** Stop settings and micro-stops (docs/auto-downtime.md); the unexplained queue is in maintenance. */
export function autoDowntimeRoutes(service: AutoDowntimeService) {
  return async function routes(app: HomApp): Promise<void> {
    const tags = ['telemetry'];
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    app.get(
      '/machines/:machine_id/downtime-settings',
      {
        ...read,
        schema: {
          tags,
          summary: 'Stop threshold, no-cycle factor and ideal cycle time of a machine (automatic downtime)',
          params: dto.machineParam,
          response: { 200: dto.downtimeSettingsOutput },
        },
      },
      (request) => service.settings(request.ctx, request.params.machine_id),
    );
    app.put(
      '/machines/:machine_id/downtime-settings',
      {
        config: { access: { permission: 'telemetry:manage' } },
        schema: {
          tags,
          summary: 'Set when a stop of this machine becomes a downtime',
          params: dto.machineParam,
          body: dto.downtimeSettingsInput,
          response: { 200: dto.downtimeSettingsOutput },
        },
      },
      (request) => service.setSettings(request.ctx, request.params.machine_id, request.body),
    );
    app.get(
      '/machines/:machine_id/micro-stops',
      {
        ...read,
        schema: {
          tags,
          summary: 'Stops shorter than the stop threshold in [from, to) (default: the last 24 hours)',
          params: dto.machineParam,
          querystring: dto.periodInput,
          response: { 200: dto.microStopsOutput },
        },
      },
      (request) => service.microStops(request.ctx, request.params.machine_id, request.query),
    );
    app.get(
      '/micro-stops',
      {
        ...read,
        schema: {
          tags,
          summary: 'Micro-stops of every active machine of a site or line in [from, to)',
          querystring: dto.microStopSummaryInput,
          response: { 200: dto.microStopSummaryOutput },
        },
      },
      (request) => service.microStopSummary(request.ctx, request.query),
    );
  };
}
