import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import type { Harness } from '../../../../test/harness.ts';

/** Shared set-up for the production tests: work orders, stages and their moves through the REST API. */

let sequence = 0;
export const uniqueLot = (prefix = 'LOT') => `${prefix}-${++sequence}-${randomBytes(3).toString('hex')}`;

const MINUTE = 60_000;
/** An ISO instant `minutes` before now (negative: after now). */
export const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * MINUTE).toISOString();
/** An ISO instant `minutes` after `base`. */
export const plus = (base: string | Date, minutes: number) =>
  new Date(new Date(base).getTime() + minutes * MINUTE).toISOString();
/** Normalises an ISO instant the way the API writes it back. */
export const iso = (value: string | Date) => new Date(value).toISOString();

export interface WorkOrder {
  id: number;
  site_id: number;
  line_id: number | null;
  product_code: string;
  lot_no: string;
  qty: number;
  planned_start: string;
  planned_end: string;
  actual_start: string | null;
  actual_end: string | null;
  status: 'planned' | 'in_progress' | 'done';
  stage_count: number;
  stages_done: number;
  open_issues: number;
}

export interface Stage {
  id: number;
  work_order_id: number;
  site_id: number;
  position: number;
  stage_name: string;
  machine_id: number | null;
  planned_start: string | null;
  planned_end: string | null;
  actual_start: string | null;
  actual_end: string | null;
  status: 'planned' | 'in_progress' | 'done';
  started_by: number | null;
  finished_by: number | null;
  assignees: { user_id: number; username: string }[];
  open_issues: number;
}

export interface Issue {
  id: number;
  site_id: number;
  work_order_stage_id: number;
  work_order_id: number;
  type: string;
  status: 'open' | 'acknowledged' | 'resolved';
  machine_id: number | null;
  downtime_id: number | null;
  created_by: number | null;
  acknowledged_by: number | null;
  acknowledged_at: string | null;
  resolved_by: number | null;
  resolved_at: string | null;
  resolution_note: string | null;
}

export function postWorkOrder(h: Harness, token: string, payload: Record<string, unknown>) {
  return h.request({ method: 'POST', url: '/workorders/', token, payload });
}

/** A work order of `site_id` (admin by default) with the payload's stages, else the route's; throws unless 201. */
export async function buildWorkOrder(
  h: Harness,
  payload: Record<string, unknown> & { site_id?: number },
  token: string = h.adminToken,
): Promise<WorkOrder> {
  const start = (payload.planned_start as string | undefined) ?? minutesAgo(60);
  const response = await postWorkOrder(h, token, {
    product_code: 'GEAR-10',
    lot_no: uniqueLot(),
    qty: 100,
    planned_start: start,
    planned_end: plus(start, 600),
    ...payload,
  });
  if (response.statusCode !== 201) throw new Error(`buildWorkOrder: ${response.statusCode} ${response.body}`);
  return response.json();
}

export async function stagesOf(h: Harness, workOrderId: number, token: string = h.adminToken) {
  const response = await h.request({ method: 'GET', url: `/workorders/${workOrderId}/stages`, token });
  if (response.statusCode !== 200) throw new Error(`stagesOf: ${response.statusCode} ${response.body}`);
  return response.json() as Stage[];
}

export async function getWorkOrder(h: Harness, id: number, token: string = h.adminToken) {
  return (await h.request({ method: 'GET', url: `/workorders/${id}`, token })).json() as WorkOrder;
}

export async function getStage(h: Harness, id: number, token: string = h.adminToken) {
  return (await h.request({ method: 'GET', url: `/stages/${id}`, token })).json() as Stage;
}

/** A work order with the named stages (windows spread evenly) and their ids. */
export async function workOrderWithStages(
  h: Harness,
  siteId: number,
  names: string[] = ['moulding', 'packing'],
  extra: Record<string, unknown> = {},
) {
  const order = await buildWorkOrder(h, {
    site_id: siteId,
    stages: names.map((stage_name) => ({ stage_name })),
    ...extra,
  });
  return { order, stages: await stagesOf(h, order.id) };
}

export async function assign(h: Harness, stageId: number, userId: number, token: string = h.adminToken) {
  const response = await h.request({
    method: 'POST',
    url: `/stages/${stageId}/assignments`,
    token,
    payload: { user_id: userId },
  });
  if (response.statusCode !== 201) throw new Error(`assign: ${response.statusCode} ${response.body}`);
  return response.json() as { user_id: number }[];
}

export function start(h: Harness, token: string, stageId: number, actualStart?: string) {
  return h.request({
    method: 'POST',
    url: `/stages/${stageId}/start`,
    token,
    ...(actualStart === undefined ? {} : { payload: { actual_start: actualStart } }),
  });
}

export function done(h: Harness, token: string, stageId: number, actualEnd?: string) {
  return h.request({
    method: 'POST',
    url: `/stages/${stageId}/done`,
    token,
    ...(actualEnd === undefined ? {} : { payload: { actual_end: actualEnd } }),
  });
}

/** Starts and finishes a stage at the given past times (as the admin); throws unless both answer 200. */
export async function runStage(h: Harness, stageId: number, from: string, to: string | null) {
  const started = await start(h, h.adminToken, stageId, from);
  if (started.statusCode !== 200) throw new Error(`runStage start: ${started.body}`);
  if (to === null) return started.json() as Stage;
  const finished = await done(h, h.adminToken, stageId, to);
  if (finished.statusCode !== 200) throw new Error(`runStage done: ${finished.body}`);
  return finished.json() as Stage;
}

export function raise(h: Harness, token: string, stageId: number, payload: Record<string, unknown>) {
  return h.request({ method: 'POST', url: `/stages/${stageId}/issue`, token, payload });
}

export function errorCode(response: LightMyRequestResponse): string | undefined {
  return (response.json() as { error_code?: string }).error_code;
}
