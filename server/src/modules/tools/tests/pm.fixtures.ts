import { randomBytes } from 'node:crypto';
import type { Harness } from '../../../../test/harness.ts';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type UserRecord,
} from '../../../../test/factories.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type {} from '../../actions/action-item.schema.ts';

/** Shared set-up for the PM plan, maintenance log and checklist tests, through the REST API. */

export const DAY = 86_400_000;
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString();

let sequence = 0;
const unique = (prefix: string) => `${prefix}${++sequence}${randomBytes(2).toString('hex')}`;

export async function expectStatus(
  response: { statusCode: number; body: string },
  status: number,
): Promise<void> {
  if (response.statusCode !== status)
    throw new Error(`expected ${status}, got ${response.statusCode}: ${response.body}`);
}

export interface Plant {
  siteId: number;
  otherSiteId: number;
  machineId: number;
  technician: UserRecord;
  manager: UserRecord;
  operator: UserRecord;
  outsider: UserRecord;
}

export async function buildPlant(h: Harness): Promise<Plant> {
  const site = await buildSite(h);
  const other = await buildSite(h);
  const line = await buildLine(h, site.id);
  const machine = await buildMachine(h, line.id);
  const [technician, manager, operator, outsider] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'manager', site_ids: [site.id] }),
    buildUser(h, { role: 'operator', site_ids: [site.id] }),
    buildUser(h, { role: 'technician', site_ids: [other.id] }),
  ]);
  return {
    siteId: site.id,
    otherSiteId: other.id,
    machineId: machine.id,
    technician,
    manager,
    operator,
    outsider,
  };
}

export async function buildTool(h: Harness, siteId: number): Promise<{ id: number; asset_number: string }> {
  const response = await h.request({
    method: 'POST',
    url: '/tools',
    token: h.adminToken,
    payload: { site_id: siteId, asset_number: unique('MLD-'), name: 'Housing mould 4-cavity' },
  });
  await expectStatus(response, 201);
  return response.json();
}

export async function addShots(
  h: Harness,
  toolId: number,
  shots: number,
  token = h.adminToken,
  takenAt?: string,
) {
  const response = await h.request({
    method: 'POST',
    url: `/tools/${toolId}/shots`,
    token,
    payload: { kind: 'delta', shots, ...(takenAt ? { taken_at: takenAt } : {}) },
  });
  await expectStatus(response, 201);
  return response.json();
}

export async function createPlan(
  h: Harness,
  toolId: number,
  payload: Record<string, unknown>,
  token = h.adminToken,
) {
  const response = await h.request({ method: 'POST', url: `/tools/${toolId}/pm-plans`, token, payload });
  await expectStatus(response, 201);
  return response.json() as Promise<PlanBody>;
}

export async function getPlan(h: Harness, planId: number): Promise<PlanBody> {
  const response = await h.request({ method: 'GET', url: `/pm-plans/${planId}`, token: h.adminToken });
  await expectStatus(response, 200);
  return response.json();
}

export interface PlanBody {
  id: number;
  tool_id: number;
  state: string;
  share: number;
  shots_since: number;
  days_since: number;
  action_item_id: number | null;
  last_done_at: string;
  shots_at_last_done: number;
  next_due_at: string | null;
  due_at_shots: number | null;
  warned_at: string | null;
  due_raised_at: string | null;
  overdue_notified_at: string | null;
  last_log_id: number | null;
  is_active: boolean;
}

export function actionsOf(h: Harness, source: 'pm_plan' | 'maintenance_log', sourceId: number) {
  return h.db.transaction(SYSTEM_SCOPE, (tx) =>
    tx
      .selectFrom('action_items')
      .selectAll()
      .where('source', '=', source)
      .where('source_id', '=', sourceId)
      .orderBy('id')
      .execute(),
  );
}

export function actionEvents(h: Harness, actionId: number) {
  return h.db.transaction(SYSTEM_SCOPE, (tx) =>
    tx
      .selectFrom('action_item_events')
      .selectAll()
      .where('action_item_id', '=', actionId)
      .orderBy('id')
      .execute(),
  );
}

/** The user's notifications of one kind, through the API (row-level security lets only them read). */
export async function notificationsOf(h: Harness, user: UserRecord, kind: string) {
  const response = await h.request({ method: 'GET', url: '/notifications?limit=100', token: user.token });
  await expectStatus(response, 200);
  const body = response.json() as { items: { kind: string; title: string; link: string | null }[] };
  return body.items.filter((item) => item.kind === kind);
}
