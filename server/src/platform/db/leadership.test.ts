import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { withDatabase } from '../../../test/global-setup.ts';
import { createLogger } from '../logger.ts';
import { holdLeadership, type Leadership } from './leadership.ts';

/**
 * Leadership between "processes" (each with a pool of its own) on a real PostgreSQL: one leads, the
 * others follow; the leader stopping or losing its session hands over; a leader cut off keeps leading
 * until it sees the new one, then follows.
 */
const log = createLogger('silent');
const base = inject('ownerBaseUrl');
const name = `hom_leader_${process.pid}_${Date.now()}`;
const url = withDatabase(base, name);
const CHECK_MS = 100;

async function admin<T>(work: (client: pg.Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(base, database) });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const pools: pg.Pool[] = [];
const holders: Leadership[] = [];

beforeAll(() => admin((c) => c.query(`create database ${name}`)));
afterAll(async () => {
  await Promise.all(holders.map((h) => h.stop()));
  await Promise.all(pools.map((p) => p.end()));
  await admin((c) => c.query(`drop database if exists ${name} with (force)`));
});

/** A process: its own pool, and what it was told (lead / follow) in order. */
function process_(lock: string, checkMs = CHECK_MS) {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  pool.on('error', () => undefined);
  pools.push(pool);
  const told: string[] = [];
  const leadership = holdLeadership(pool, log, {
    name: lock,
    checkMs,
    onLead: () => void told.push('lead'),
    onFollow: () => void told.push('follow'),
  });
  holders.push(leadership);
  return { leadership, told };
}

const until = async (what: string, check: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 5 * CHECK_MS));

describe('leadership', () => {
  it('lets one of three lead; the next takes over when it stops', async () => {
    const all = [process_('lock-a'), process_('lock-a'), process_('lock-a')];
    await until('a leader', () => all.some((p) => p.leadership.leading()));
    await settle();
    const leaders = all.filter((p) => p.leadership.leading());
    expect(leaders).toHaveLength(1);
    expect(all.map((p) => p.told.join(',')).sort()).toEqual(['', '', 'lead']);

    await leaders[0]!.leadership.stop();
    await until('another leader', () => all.some((p) => p !== leaders[0] && p.leadership.leading()));
    await settle();
    expect(all.filter((p) => p.leadership.leading())).toHaveLength(1);
    // Another lock is led on its own.
    const other = process_('lock-b');
    await until('the other lock led', () => other.leadership.leading());
  });

  it('hands over when the leader’s session is cut; the old leader follows once it sees the new one', async () => {
    // The old leader looks again only every 2 s, the other every 50 ms: the other takes the freed lock
    // first (were the old leader first, it would simply lead on, which is as right).
    const first = process_('lock-c', 2_000);
    await until('the first to lead', () => first.leadership.leading());
    const second = process_('lock-c', 50);
    await settle();
    expect(second.leadership.leading()).toBe(false);

    // Cut the leader's session: its advisory lock is gone with it.
    const cut = await admin(
      (c) =>
        c.query<{ n: number }>(
          `select count(pg_terminate_backend(l.pid))::int as n from pg_locks l
           join pg_stat_activity a on a.pid = l.pid
           where l.locktype = 'advisory' and a.datname = $1 and l.objid = hashtext('lock-c')::oid`,
          [name],
        ),
      name,
    );
    expect(cut.rows[0]?.n).toBe(1);
    await until('the second to lead', () => second.leadership.leading(), 10_000);
    await until('the first to follow', () => !first.leadership.leading(), 15_000);
    expect(first.told).toEqual(['lead', 'follow']);
    expect(second.told).toEqual(['lead']);
    await settle();
    expect([first, second].filter((p) => p.leadership.leading())).toHaveLength(1);
  });
});
