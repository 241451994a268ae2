import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { TEST_SECRET } from '../../../../test/constants.ts';
import { buildApiKey, buildSite, buildUser } from '../../../../test/factories.ts';
import type { SiteRecord, UserRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { appUrlFrom, SYSTEM_SCOPE } from '../../../platform/db/database.ts';

/**
 * Two sites: a manager of A must not read, list, change or subscribe to anything of B, through REST,
 * GraphQL or a live subscription; and the database itself shows the app role nothing of B.
 */
let h: Harness;
let siteA: SiteRecord;
let siteB: SiteRecord;
let managerA: UserRecord;
let userB: UserRecord;
let noteOfB: number;

/** Reads as the database owner, with every site and (for notifications) the given user in scope. */
async function asOwner<T>(text: string, params: unknown[] = [], userId: number | '' = ''): Promise<T[]> {
  const client = new pg.Client({ connectionString: h.ownerUrl });
  await client.connect();
  try {
    await client.query('begin');
    const scope = `select set_config('hom.all_sites', 'on', true), set_config('hom.user_id', $1, true)`;
    await client.query(scope, [String(userId)]);
    const { rows } = await client.query(text, params);
    await client.query('commit');
    return rows as T[];
  } finally {
    await client.end();
  }
}

const raise = (userId: number, title: string, siteId: number | null) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    h.server.modules.notifications.raise(tx, {
      kind: 'test',
      title,
      site_id: siteId,
      recipients: { user_ids: [userId] },
    }),
  );
/** Calls as the manager of site A. */
const rest = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  h.request({ method, url, token: managerA.token, ...(payload ? { payload } : {}) });
const graphql = async (query: string) => (await rest('POST', '/graphql', { query })).json();

beforeAll(async () => {
  h = await createHarness();
  siteA = await buildSite(h, { name: 'Site A' });
  siteB = await buildSite(h, { name: 'Site B' });
  managerA = await buildUser(h, { role: 'manager', site_ids: [siteA.id] });
  userB = await buildUser(h, { role: 'viewer', site_ids: [siteB.id] });
  await buildApiKey(h, siteA.id);
  await buildApiKey(h, siteB.id);
  const edit = { method: 'PATCH', url: `/sites/${siteB.id}`, payload: { name: 'B2' } } as const;
  expect((await h.request({ ...edit, token: h.adminToken })).statusCode).toBe(200);
  await raise(managerA.id, 'for A', siteA.id);
  await raise(userB.id, 'for B', siteB.id);
  await raise(userB.id, 'for B, no site', null);
  const notes = await asOwner<{ id: number }>(
    'select id from notifications where user_id = $1',
    [userB.id],
    userB.id,
  );
  noteOfB = notes[0]!.id;
});
afterAll(() => h?.close());

describe('REST and GraphQL as a manager of site A', () => {
  it('list and show only site A', async () => {
    expect((await rest('GET', '/sites')).json().map((site: SiteRecord) => site.id)).toEqual([siteA.id]);
    expect((await rest('GET', `/sites/${siteB.id}`)).statusCode).toBe(404);
    expect((await rest('GET', '/auth/me')).json().sites.map((site: SiteRecord) => site.id)).toEqual([
      siteA.id,
    ]);

    const { data } = await graphql('{ sites { id } me { sites { id } } users { sites { id } } }');
    expect(data.sites).toEqual([{ id: String(siteA.id) }]);
    expect(data.me.sites).toEqual([{ id: String(siteA.id) }]);
    // Users are identity data everyone with user:read sees; their sites are still filtered to A.
    const seen = data.users.flatMap((user: { sites: { id: string }[] }) => user.sites.map((site) => site.id));
    expect(seen).not.toContain(String(siteB.id));
  });

  it('cannot change site B', async () => {
    expect([403, 404]).toContain((await rest('PATCH', `/sites/${siteB.id}`, { name: 'taken' })).statusCode);
    const gql = await graphql(`mutation { updateSite(id: "${siteB.id}", input: { name: "taken" }) { id } }`);
    expect(['FORBIDDEN', 'SITE_NOT_FOUND']).toContain(gql.errors[0].extensions.code);
    const rows = await asOwner<{ name: string }>('select name from sites where id = $1', [siteB.id]);
    expect(rows).toEqual([{ name: 'B2' }]);
  });

  it('browse only site A’s audit rows, never B’s nor site-less ones', async () => {
    const [counts] = await asOwner<{ b: number; none: number }>(
      'select count(*) filter (where site_id = $1)::int as b, count(*) filter (where site_id is null)::int as none from audit_log',
      [siteB.id],
    );
    expect(counts!.b).toBeGreaterThanOrEqual(3); // created, key created, edited
    expect(counts!.none).toBeGreaterThan(0); // users created

    const list = await rest('GET', '/audit?limit=200');
    expect(list.statusCode).toBe(200);
    const restSites = list.json().items.map((item: { site_id: number | null }) => item.site_id);
    expect(restSites.length).toBeGreaterThan(0);
    expect(new Set(restSites)).toEqual(new Set([siteA.id]));
    expect((await rest('GET', `/audit?site_id=${siteB.id}`)).json().items).toEqual([]);

    const gql = await graphql('{ auditLog(first: 50) { items { siteId } } }');
    const gqlSites = gql.data.auditLog.items.map((item: { siteId: string | null }) => item.siteId);
    expect(new Set(gqlSites)).toEqual(new Set([String(siteA.id)]));
  });

  it('see and mark only their own notifications', async () => {
    const list = await rest('GET', '/notifications');
    expect(list.json().items.map((note: { title: string }) => note.title)).toEqual(['for A']);
    const gql = await graphql('{ notifications { items { title } unreadCount } }');
    expect(gql.data.notifications).toEqual({ items: [{ title: 'for A' }], unreadCount: 1 });

    expect((await rest('POST', `/notifications/${noteOfB}/read`)).statusCode).toBe(404);
    const gqlMark = await graphql(`mutation { markNotificationRead(id: "${noteOfB}") { id } }`);
    expect(gqlMark.errors[0].extensions.code).toBe('NOTIFICATION_NOT_FOUND');
    await rest('POST', '/notifications/read-all');
    const unread = 'select id from notifications where user_id = $1 and read_at is null';
    expect(await asOwner(unread, [userB.id], userB.id)).toHaveLength(2);
  });
});

describe('notificationAdded subscription', () => {
  let url: string;
  beforeAll(async () => {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}/graphql`;
  });

  /** A graphql-transport-ws client; resolves once the server acknowledged or refused the connection. */
  async function connect(authorization?: string) {
    const ws = new WebSocket(url, 'graphql-transport-ws');
    type Message = { type: string; payload?: { data?: { notificationAdded?: { title: string } } } };
    const messages: Message[] = [];
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    const answered = new Promise<boolean>((resolve) => {
      ws.on('message', (raw) => {
        const message = JSON.parse(String(raw));
        messages.push(message);
        if (message.type === 'connection_ack') resolve(true);
      });
      void closed.then(() => resolve(false));
    });
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'connection_init', payload: authorization ? { authorization } : {} })),
    );
    const titles = () =>
      messages.flatMap((m) => (m.type === 'next' ? [m.payload?.data?.notificationAdded?.title] : []));
    const query = 'subscription { notificationAdded { id title } }';
    const subscribe = () => ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
    return { ws, acked: await answered, messages, closed, titles, subscribe };
  }

  type Client = Awaited<ReturnType<typeof connect>>;
  async function waitFor(clients: Client[], check: () => boolean, retry: () => Promise<unknown>) {
    for (let i = 0; i < 25 && !check(); i += 1) {
      if (i % 5 === 0) await retry(); // the subscription may not be registered yet: raise again
      await sleep(200);
    }
    expect(check(), `received ${JSON.stringify(clients.map((client) => client.messages))}`).toBe(true);
  }

  it('refuses a connection without a valid token', async () => {
    for (const authorization of [undefined, 'Bearer not-a-token', `Bearer ${managerA.token}x`]) {
      const client = await connect(authorization);
      expect(client.acked).toBe(false);
      expect(client.messages.map((m) => m.type)).not.toContain('connection_ack');
      client.ws.terminate();
    }
  });

  it('pushes to a user only their own notifications', async () => {
    const a = await connect(`Bearer ${managerA.token}`);
    const b = await connect(`Bearer ${userB.token}`);
    expect([a.acked, b.acked]).toEqual([true, true]);
    a.subscribe();
    b.subscribe();
    try {
      await waitFor(
        [a, b],
        () => a.titles().includes('live A') && b.titles().includes('live B'),
        async () => {
          await raise(userB.id, 'live B', siteB.id);
          await raise(managerA.id, 'live A', siteA.id);
        },
      );
      // NOTIFY arrives in commit order: B's last one is delivered (or leaked) before A's final one.
      await raise(userB.id, 'live B, last', null);
      await raise(managerA.id, 'live A, last', siteA.id);
      await waitFor(
        [a, b],
        () => a.titles().includes('live A, last') && b.titles().includes('live B, last'),
        () => Promise.resolve(),
      );
      await sleep(200);
      expect(a.titles().every((title) => title?.startsWith('live A'))).toBe(true);
      expect(b.titles().every((title) => title?.startsWith('live B'))).toBe(true);
      expect(a.messages.filter((m) => m.type === 'error')).toEqual([]);
    } finally {
      a.ws.terminate();
      b.ws.terminate();
    }
  });
});

describe('the database, through the app role', () => {
  const visible = (siteIds: number[]) =>
    h.db.transaction({ userId: null, siteIds, allSites: false }, async (tx) => ({
      sites: (await tx.selectFrom('sites').select('id').execute()).map((row) => row.id),
      keys: (await tx.selectFrom('api_keys').select('site_id').execute()).map((row) => row.site_id),
      audit: (await tx.selectFrom('audit_log').select('site_id').execute()).map((row) => row.site_id),
      notes: (await sql<{ id: number }>`select id from notifications`.execute(tx)).rows,
    }));

  it('shows a transaction scoped to A only A’s rows, and one scoped to nothing no rows', async () => {
    const inA = await visible([siteA.id]);
    expect(inA.sites).toEqual([siteA.id]);
    expect(new Set(inA.keys)).toEqual(new Set([siteA.id]));
    expect(new Set(inA.audit)).toEqual(new Set([siteA.id]));
    expect(inA.notes).toEqual([]);
    expect(await visible([])).toEqual({ sites: [], keys: [], audit: [], notes: [] });
  });

  it('connects as a role that is no superuser, no owner, no BYPASSRLS; RLS is enabled and forced', async () => {
    const client = new pg.Client({ connectionString: appUrlFrom(h.ownerUrl, TEST_SECRET) });
    await client.connect();
    try {
      const role = await client.query(
        'select rolsuper, rolbypassrls from pg_roles where rolname = current_user',
      );
      expect(role.rows).toEqual([{ rolsuper: false, rolbypassrls: false }]);
      const owned = await client.query('select count(*)::int from pg_tables where tableowner = current_user');
      expect(owned.rows[0].count).toBe(0);

      type Table = { relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean };
      const tables = await client.query<Table>(`
        select c.relname, c.relrowsecurity, c.relforcerowsecurity from pg_class c
        where c.relkind = 'r' and c.relnamespace = 'public'::regnamespace
          and (c.relname = 'sites' or exists (
            select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'site_id' and not a.attisdropped))
        order by c.relname`);
      // user_sites holds memberships: identity data read to authenticate, before any scope exists.
      const unguarded = tables.rows
        .filter((t) => !(t.relrowsecurity && t.relforcerowsecurity))
        .map((t) => t.relname);
      expect(unguarded).toEqual(['user_sites']);
      expect(tables.rows.map((t) => t.relname)).toEqual(
        expect.arrayContaining(['api_keys', 'audit_log', 'notifications', 'sites']),
      );

      // Without a site setting, or with the wrong one, a direct query finds nothing of B.
      for (const setting of [null, `{${siteA.id}}`]) {
        await client.query('begin');
        if (setting) await client.query(`select set_config('hom.site_ids', $1, true)`, [setting]);
        for (const table of ['api_keys', 'audit_log', 'notifications']) {
          const found = await client.query(`select count(*)::int from ${table} where site_id = $1`, [
            siteB.id,
          ]);
          expect(found.rows[0].count, `${table} with ${setting}`).toBe(0);
        }
        const site = await client.query('select count(*)::int from sites where id = $1', [siteB.id]);
        expect(site.rows[0].count).toBe(0);
        await client.query('rollback');
      }
    } finally {
      await client.end();
    }
  });
});
