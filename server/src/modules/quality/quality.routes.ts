import { z } from 'zod';
import type { HomApp } from '../../platform/http/types.ts';
import { ingestAccepted, MAX_RESULTS_PER_REQUEST, resultOutput } from './ingest.dto.ts';
import type { IngestService } from './ingest.service.ts';
import * as dto from './results.dto.ts';
import type { ResultService } from './results.service.ts';

/** Room for 10,000 results with long barcodes and step names. */
const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

/** POST /ingest: the one door test stations use; answered 202 only once the results are durable. */
export function ingestRoutes(ingest: IngestService) {
  return async function register(app: HomApp): Promise<void> {
    app.post(
      '/ingest',
      {
        config: { access: { permission: 'ingest:write' } },
        bodyLimit: INGEST_BODY_LIMIT,
        schema: {
          tags: ['quality'],
          summary: `Send one test result or an array of up to ${MAX_RESULTS_PER_REQUEST}`,
          description:
            'Each result: {barcode, machine_id (plant code), product_id, test_step, measured_value, timestamp, unit?}. ' +
            'A timestamp without an offset is read in the machine’s site time zone. All or nothing: any invalid ' +
            'result refuses the whole body (422, errors per item and field). 202 once durable; the same result ' +
            '(barcode, machine, step, timestamp) sent again is stored once.',
          response: { 202: ingestAccepted },
        },
      },
      async (request, reply) => {
        const accepted = await ingest.ingest(request.ctx, request.body);
        return reply.status(202).send({ message: `${accepted} result(s) accepted`, accepted });
      },
    );
  };
}

export function resultRoutes(results: ResultService) {
  return async function register(app: HomApp): Promise<void> {
    const read = { config: { access: { permission: 'plant:read' } } } as const;
    const tags = ['quality'];
    app.get(
      '/results',
      {
        ...read,
        schema: {
          tags,
          summary: 'Test results, newest first',
          querystring: dto.resultFilterInput,
          response: { 200: z.object({ items: z.array(resultOutput), next_cursor: z.string().nullable() }) },
        },
      },
      (request) => results.list(request.ctx, request.query),
    );
    app.get(
      '/machines/:machine_id/status',
      {
        ...read,
        schema: {
          tags,
          summary: 'The latest result of a machine (its code, or its numeric id)',
          params: dto.machineRefParam,
          response: {
            200: z.object({
              machine_id: z.string(),
              machine_key: z.number(),
              last_result: resultOutput.nullable(),
              last_verdict: z.string().nullable(),
              last_seen: z.date().nullable(),
            }),
          },
        },
      },
      (request) => results.machineStatus(request.ctx, request.params.machine_id),
    );
    app.get(
      '/quality/metrics',
      {
        ...read,
        schema: {
          tags,
          summary:
            'Pass rate for any machine, product, step and period (default: the last 24 h), optionally per hour or day',
          querystring: dto.qualityMetricsInput,
          response: { 200: dto.qualityMetricsOutput },
        },
      },
      (request) => results.metrics(request.ctx, request.query),
    );
    app.get(
      '/units/:barcode',
      {
        ...read,
        schema: {
          tags,
          summary: 'Every result of one serial number across all stations (traceability)',
          params: dto.barcodeParam,
          response: {
            200: z.object({
              barcode: z.string(),
              verdict: z.string(),
              first_seen: z.date().nullable(),
              last_seen: z.date().nullable(),
              results: z.array(resultOutput),
            }),
          },
        },
      },
      (request) => results.unit(request.ctx, request.params.barcode),
    );
  };
}
