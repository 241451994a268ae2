import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './reading.dto.ts';
import type { ReadingService } from './reading.service.ts';
import type { ThresholdService } from './threshold.service.ts';

/** Readings over REST: posting and listing raw readings, chart series, reading types, thresholds, alerts. */
export function readingRoutes(services: { readings: ReadingService; thresholds: ThresholdService }) {
  const { readings, thresholds } = services;
  return async function routes(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const manage = { config: { access: { permission: 'telemetry:manage' } } } as const;
    const tags = ['readings'];
    app.post(
      '/machines/:machine_id/readings',
      {
        config: { access: { permission: 'ingest:write' } },
        schema: {
          tags,
          summary: 'Post one reading or an array of up to 1,000 (machine id or code in the path)',
          params: dto.machineRefParam,
          body: dto.readingsInput,
          response: {
            201: z.union([
              dto.readingOutput,
              z.object({ accepted: z.number(), items: z.array(dto.readingOutput) }),
            ]),
          },
        },
      },
      async (request, reply) => {
        const many = Array.isArray(request.body);
        const stored = await readings.record(
          request.ctx,
          request.params.machine_id,
          Array.isArray(request.body) ? request.body : [request.body],
        );
        const [one] = stored;
        return reply.status(201).send(many || !one ? { accepted: stored.length, items: stored } : one);
      },
    );
    app.get(
      '/machines/:machine_id/readings',
      {
        ...read,
        schema: {
          tags,
          params: dto.machineRefParam,
          querystring: dto.readingFilterInput,
          response: { 200: z.array(dto.readingOutput) },
        },
      },
      (request) => readings.list(request.ctx, request.params.machine_id, request.query),
    );
    app.get(
      '/machines/:machine_id/readings/series',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Chart data of one reading type: 1-minute or 1-hour buckets (n, avg, min, max, last) or raw readings; ' +
            'raw covers at most 24 h (10,000 points), 1m 7 days, 1h 366 days',
          params: dto.machineRefParam,
          querystring: dto.seriesInput,
          response: { 200: dto.seriesOutput },
        },
      },
      (request) => readings.series(request.ctx, request.params.machine_id, request.query),
    );
    app.get(
      '/machines/:machine_id/reading-types',
      {
        ...read,
        schema: {
          tags,
          summary: 'The reading types a machine reported: unit, latest value and time, stale or not, limits',
          params: dto.machineRefParam,
          response: { 200: z.array(dto.readingTypeOutput) },
        },
      },
      (request) => readings.types(request.ctx, request.params.machine_id),
    );
    app.get(
      '/machines/:machine_id/thresholds/:reading_type',
      {
        ...read,
        schema: { tags, params: dto.thresholdParam, response: { 200: dto.thresholdOutput } },
      },
      (request) => thresholds.get(request.ctx, request.params.machine_id, request.params.reading_type),
    );
    app.put(
      '/machines/:machine_id/thresholds/:reading_type',
      {
        ...manage,
        schema: {
          tags,
          summary:
            'Set the limits of a reading type: low and/or high (alerts), stale_after_seconds (0 = never stale, ' +
            'null = the default rule)',
          params: dto.thresholdParam,
          body: dto.thresholdInput,
          response: { 200: dto.thresholdOutput },
        },
      },
      (request) =>
        thresholds.put(request.ctx, request.params.machine_id, request.params.reading_type, request.body),
    );
    app.delete(
      '/machines/:machine_id/thresholds/:reading_type',
      { ...manage, schema: { tags, params: dto.thresholdParam } },
      async (request, reply) => {
        await thresholds.remove(request.ctx, request.params.machine_id, request.params.reading_type);
        return reply.status(204).send();
      },
    );
    app.get(
      '/reading-alerts',
      {
        ...read,
        schema: {
          tags,
          summary: 'Threshold alerts of readings, newest first (open=true: still beyond the limit)',
          querystring: dto.alertFilterInput,
          response: { 200: z.array(dto.alertOutput) },
        },
      },
      (request) => thresholds.alerts(request.ctx, request.query),
    );
  };
}
