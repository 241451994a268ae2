import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import * as dto from './analytics.dto.ts';
import type { QualityAnalytics } from './analytics.service.ts';
import * as alerts from './alerts.service.ts';

/** The quality dashboard's reads (machine tiles, top failing steps, control charts) and alerts. */
export function analyticsRoutes(services: { analytics: QualityAnalytics; alerts: alerts.AlertService }) {
  const { analytics } = services;
  return async function register(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const tags = ['quality'];
    app.get(
      '/quality/machines',
      {
        ...read,
        schema: {
          tags,
          summary: 'A tile per machine: last verdict, pass rate this hour, colour',
          querystring: dto.tilesInput,
          response: { 200: z.array(dto.machineTileOutput) },
        },
      },
      (request) => analytics.tiles(request.ctx, request.query.site_id),
    );
    app.get(
      '/quality/top-failures',
      {
        ...read,
        schema: {
          tags,
          summary: 'Product × test steps with the most FAILs in the period (default: the last 24 h)',
          querystring: dto.topFailuresInput,
          response: { 200: z.array(dto.topFailureOutput) },
        },
      },
      (request) => analytics.topFailures(request.ctx, request.query),
    );
    app.get(
      '/quality/spc',
      {
        ...read,
        schema: {
          tags,
          summary: 'Individuals / moving-range chart of a product × step with its spec limits, Cp and Cpk',
          querystring: dto.spcInput,
          response: { 200: dto.spcOutput },
        },
      },
      (request) => analytics.spc(request.ctx, request.query),
    );
    app.get(
      '/quality/alerts',
      {
        ...read,
        schema: {
          tags,
          summary: 'Quality alerts, newest first (open ones by default)',
          querystring: alerts.alertFilterInput,
          response: { 200: z.array(alerts.alertOutput) },
        },
      },
      (request) => services.alerts.list(request.ctx, request.query),
    );
    app.post(
      '/quality/alerts/:alert_id/acknowledge',
      { config: { access: { permission: 'quality:manage' } }, schema: { tags, params: alerts.alertParam } },
      async (request, reply) => {
        await services.alerts.acknowledge(request.ctx, request.params.alert_id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/quality/alert-rules/:site_id',
      { ...read, schema: { tags, params: alerts.siteParam, response: { 200: alerts.alertRuleOutput } } },
      (request) => services.alerts.rule(request.ctx, request.params.site_id),
    );
    app.put(
      '/quality/alert-rules/:site_id',
      {
        config: { access: { permission: 'quality:manage' } },
        schema: {
          tags,
          summary:
            'When to raise alerts: N consecutive FAILs, or a pass rate under a threshold over the last hour',
          params: alerts.siteParam,
          body: alerts.alertRuleInput,
          response: { 200: alerts.alertRuleOutput },
        },
      },
      (request) => services.alerts.saveRule(request.ctx, request.params.site_id, request.body),
    );
  };
}
