import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { graphql } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import type { RequestContext } from '../../../platform/auth/actor.ts';
import { createBuilder, createGraphQLContext } from '../../../platform/graphql/builder.ts';
import { registerAccessGuard } from '../../../platform/http/access.ts';
import { registerErrorHandling } from '../../../platform/http/error-handler.ts';
import { createKpiService, kpiRoutes, registerKpiGraphql, type KpiService } from '../index.ts';
import { WORKED_EXAMPLE } from './kpi.fixtures.ts';
import { contextOf, seedWorkedExample, type SeededPlant } from './kpi.seed.ts';

const { period, now, expected } = WORKED_EXAMPLE;
const H = 3600;

let h: Harness;
let plant: SeededPlant;
let kpi: KpiService;
let viewer: RequestContext;
let outsider: RequestContext;
beforeAll(async () => {
  h = await createHarness();
  plant = await seedWorkedExample(h);
  kpi = createKpiService({ db: h.db, clock: () => now });
  [viewer, outsider] = await Promise.all([
    contextOf(h, 'viewer', [plant.siteId]),
    contextOf(h, 'manager', [plant.otherSiteId]),
  ]);
});
afterAll(() => h.close());

describe('kpis (service, SQL aggregation)', () => {
  it("gives a site viewer the worked example's figures for the line", async () => {
    const report = await kpi.kpis(viewer, { line_id: plant.lineId }, period);
    expect(report.scope).toEqual({ kind: 'line', id: plant.lineId });
    expect(report.period).toEqual({ from: period.from, to: period.to, effective_to: period.to });
    expect(report.planned_seconds).toBe(expected.planned_seconds);
    expect(report.downtime).toEqual(expected.downtime);
    expect(report).toMatchObject({
      failures: expected.failures,
      mttr_hours: expected.mttr_hours,
      mtbf_hours: expected.mtbf_hours,
      availability: expected.availability,
    });
    expect(report.pareto.map((entry) => [entry.reason?.code ?? null, entry.seconds, entry.count])).toEqual(
      expected.pareto,
    );
    expect(report.pareto[0]?.reason).toEqual({
      code: 'ELEC_FAULT',
      name: 'Electrical fault',
      name_ru: 'Электрическая неисправность',
      category_code: 'electrical',
    });
  });

  it('narrows to one machine and widens to the site', async () => {
    const m1 = await kpi.kpis(viewer, { machine_id: plant.machineIds.M1 }, period);
    // M1: A 1.5 h, C 0.5 h (material), E 2 h (open, no reason) of 24 h.
    expect(m1).toMatchObject({
      planned_seconds: 24 * H,
      failures: 2,
      mttr_hours: 1.75,
      availability: 20 / 24,
    });
    const site = await kpi.kpis(viewer, { site_id: plant.siteId }, period);
    // Adds M3 on line L2 (12 h unexplained); the inactive M9 counts neither time nor stops.
    expect(site).toMatchObject({ planned_seconds: 72 * H, failures: 5, availability: (72 - 19.5) / 72 });
    expect(site.downtime).toMatchObject({ count: 7, unplanned_seconds: 19.5 * H });
  });

  it('counts the open stop up to now when the period is still running', async () => {
    const running = await kpi.kpis(
      viewer,
      { machine_id: plant.machineIds.M1 },
      { from: new Date('2025-03-04T00:00Z'), to: new Date('2025-03-05T00:00Z') },
    );
    // 00:00–12:00 planned; E open since 04:00: 8 h.
    expect(running.period.effective_to).toEqual(now);
    expect(running).toMatchObject({
      planned_seconds: 12 * H,
      failures: 1,
      mttr_hours: 8,
      availability: 4 / 12,
    });
  });

  it('answers KPI_SCOPE_NOT_FOUND to a manager of another site', async () => {
    await expect(kpi.kpis(outsider, { line_id: plant.lineId }, period)).rejects.toMatchObject({
      code: 'KPI_SCOPE_NOT_FOUND',
      kind: 'not_found',
    });
    await expect(kpi.kpis(outsider, { site_id: plant.siteId }, period)).rejects.toMatchObject({
      code: 'KPI_SCOPE_NOT_FOUND',
    });
    await expect(kpi.kpis(viewer, { machine_id: 999_999 }, period)).rejects.toMatchObject({
      code: 'KPI_SCOPE_NOT_FOUND',
    });
  });

  it('refuses two scopes, a reversed period and one over ten years', async () => {
    const both = { line_id: plant.lineId, machine_id: plant.machineIds.M1 };
    await expect(kpi.kpis(viewer, both, period)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const reversed = { from: period.to, to: period.from };
    await expect(kpi.kpis(viewer, { line_id: 1 }, reversed)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    const long = { from: new Date('2010-01-01T00:00Z'), to: new Date('2020-01-02T00:00Z') };
    await expect(kpi.kpis(viewer, { line_id: 1 }, long)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('GET /kpis', () => {
  it('answers snake_case figures, 404 outside the caller sites and 422 on a bad query', async () => {
    const app = Fastify();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    registerErrorHandling(app);
    registerAccessGuard(app, []);
    app.addHook('onRequest', async (request) => {
      request.ctx = request.headers['x-as'] === 'outsider' ? outsider : viewer;
    });
    await app.register(kpiRoutes(kpi));
    const query = `line_id=${plant.lineId}&from=${period.from.toISOString()}&to=${period.to.toISOString()}`;

    const ok = await app.inject({ method: 'GET', url: `/kpis?${query}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({
      scope: { kind: 'line', id: plant.lineId },
      period: { effective_to: period.to.toISOString() },
      mttr_hours: 1.75,
      availability: 0.84375,
      downtime: { total_seconds: 11.5 * H },
      pareto: expect.arrayContaining([expect.objectContaining({ reason: null, seconds: 2 * H })]),
    });
    const hidden = await app.inject({
      method: 'GET',
      url: `/kpis?${query}`,
      headers: { 'x-as': 'outsider' },
    });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ error_code: 'KPI_SCOPE_NOT_FOUND' });
    const bad = await app.inject({ method: 'GET', url: `/kpis?${query}&site_id=${plant.siteId}` });
    expect(bad.statusCode).toBe(422);
    await app.close();
  });
});

describe('GraphQL kpis', () => {
  it('answers camelCase figures', async () => {
    const builder = createBuilder();
    registerKpiGraphql(builder, kpi);
    // The app's schema has mutations and subscriptions from other modules; this one needs a stand-in.
    builder.mutationField('ping', (t) => t.boolean({ resolve: () => true }));
    builder.subscriptionField('ping', (t) =>
      t.boolean({ subscribe: () => (async function* () {})(), resolve: () => true }),
    );
    const result = await graphql({
      schema: builder.toSchema(),
      source: `query($scope: KpiScopeInput!, $period: PeriodInput!) {
        kpis(scope: $scope, period: $period) {
          scope { kind id } period { effectiveTo } plannedSeconds failures mttrHours mtbfHours availability notes
          downtime { totalSeconds count plannedSeconds unplannedSeconds }
          pareto { reason { code nameRu categoryCode } seconds count share cumulativeShare }
        }
      }`,
      variableValues: {
        scope: { lineId: String(plant.lineId) },
        period: { from: period.from.toISOString(), to: period.to.toISOString() },
      },
      contextValue: createGraphQLContext(viewer),
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.kpis).toMatchObject({
      scope: { kind: 'line', id: String(plant.lineId) },
      plannedSeconds: 48 * H,
      failures: 4,
      mttrHours: 1.75,
      mtbfHours: 10.125,
      downtime: { totalSeconds: 11.5 * H, count: 6, plannedSeconds: 4 * H, unplannedSeconds: 7.5 * H },
    });
    const pareto = (
      result.data?.kpis as { pareto: { reason: { code: string } | null; cumulativeShare: number }[] }
    ).pareto;
    expect(pareto.map((entry) => entry.reason?.code ?? null)).toEqual(expected.pareto.map(([code]) => code));
    expect(pareto.at(-1)?.cumulativeShare).toBeCloseTo(1, 10);
  });
});
