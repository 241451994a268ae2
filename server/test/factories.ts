import { randomBytes } from 'node:crypto';
import type { Harness } from './harness.ts';

let sequence = 0;
const unique = (prefix: string) => `${prefix}${++sequence}${randomBytes(2).toString('hex')}`;

export interface SiteRecord {
  id: number;
  code: string;
  name: string;
  time_zone: string;
}

export async function buildSite(
  h: Harness,
  overrides: Partial<Omit<SiteRecord, 'id'>> = {},
): Promise<SiteRecord> {
  const response = await h.request({
    method: 'POST',
    url: '/sites',
    token: h.adminToken,
    payload: { code: unique('S'), name: 'Test site', time_zone: 'Europe/Berlin', ...overrides },
  });
  if (response.statusCode !== 201) throw new Error(`buildSite: ${response.body}`);
  return response.json();
}

export interface UserRecord {
  id: number;
  username: string;
  password: string;
  role: string;
  site_ids: number[];
  token: string;
  refreshToken: string;
}

/** Creates a user through the API and signs them in. */
export async function buildUser(
  h: Harness,
  overrides: { role?: string; site_ids?: number[]; username?: string; password?: string } = {},
): Promise<UserRecord> {
  const password = overrides.password ?? 'a-long-test-password';
  const response = await h.request({
    method: 'POST',
    url: '/auth/users',
    token: h.adminToken,
    payload: {
      username: overrides.username ?? unique('user'),
      password,
      role: overrides.role ?? 'operator',
      site_ids: overrides.site_ids ?? [],
    },
  });
  if (response.statusCode !== 201) throw new Error(`buildUser: ${response.body}`);
  const user = response.json() as Omit<UserRecord, 'password' | 'token' | 'refreshToken'>;
  const tokens = await h.login(user.username, password);
  return { ...user, password, token: tokens.access_token, refreshToken: tokens.refresh_token };
}

export async function buildApiKey(h: Harness, siteId: number): Promise<{ id: number; key: string }> {
  const response = await h.request({
    method: 'POST',
    url: '/api-keys',
    token: h.adminToken,
    payload: { site_id: siteId, name: unique('station') },
  });
  if (response.statusCode !== 201) throw new Error(`buildApiKey: ${response.body}`);
  return response.json();
}

export interface LineRecord {
  id: number;
  site_id: number;
  code: string;
}

export async function buildLine(
  h: Harness,
  siteId: number,
  overrides: Record<string, unknown> = {},
): Promise<LineRecord> {
  const response = await h.request({
    method: 'POST',
    url: '/lines',
    token: h.adminToken,
    payload: { site_id: siteId, code: unique('L'), name: 'Moulding line', ...overrides },
  });
  if (response.statusCode !== 201) throw new Error(`buildLine: ${response.body}`);
  return response.json();
}

export interface MachineRecord {
  id: number;
  site_id: number;
  line_id: number;
  code: string;
  status: string;
}

export async function buildMachine(
  h: Harness,
  lineId: number,
  overrides: Record<string, unknown> = {},
): Promise<MachineRecord> {
  const response = await h.request({
    method: 'POST',
    url: '/machines',
    token: h.adminToken,
    payload: { line_id: lineId, code: unique('M'), name: 'Injection moulding machine', ...overrides },
  });
  if (response.statusCode !== 201) throw new Error(`buildMachine: ${response.body}`);
  return response.json();
}
