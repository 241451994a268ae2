import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLine, buildMachine, buildSite, type MachineRecord } from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';
import type { CountSignal, StateSignal } from '../index.ts';

let h: Harness;
let machine: MachineRecord;
const base = Date.parse('2026-11-20T08:00:00Z');
const at = (minutes: number) => new Date(base + minutes * 60_000);

beforeAll(async () => {
  h = await createHarness();
  const site = await buildSite(h);
  machine = await buildMachine(h, (await buildLine(h, site.id)).id);
});
afterAll(() => h.close());

const signals = () => h.server.modules.telemetry.signals;
const state = (value: StateSignal['state'], minutes: number) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordState(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      state: value,
      raw_value: value,
      source: 'opcua',
      at: at(minutes),
    }),
  );
const count = (kind: CountSignal['kind'], value: number, minutes: number) =>
  h.db.transaction(SYSTEM_SCOPE, (tx) =>
    signals().recordCount(tx, {
      machine_id: machine.id,
      site_id: machine.site_id,
      kind,
      counter_value: value,
      source: 'opcua',
      at: at(minutes),
    }),
  );

describe('machine signals', () => {
  it('keeps a state timeline: repeats are no change, late messages do not rewrite it', async () => {
    expect((await state('running', 0))?.previous).toBeNull();
    expect(await state('running', 1)).toBeNull(); // the same state again
    const stop = await state('stopped', 10);
    expect(stop?.previous).toEqual({ state: 'running', started_at: at(0) });
    expect(await state('fault', 5)).toBeNull(); // before the open period began
    await state('running', 12);

    const rows = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ state: string; started_at: Date; ended_at: Date | null }>`
        select state, started_at, ended_at from machine_states
        where machine_id = ${machine.id} order by started_at`.execute(tx),
    );
    expect(rows.rows).toEqual([
      { state: 'running', started_at: at(0), ended_at: at(10) },
      { state: 'stopped', started_at: at(10), ended_at: at(12) },
      { state: 'running', started_at: at(12), ended_at: null },
    ]);
  });

  it('counts increases, recognises a reset and stores a repeated instant once', async () => {
    expect((await count('cycle', 1000, 0))?.delta).toBe(0); // the first value is the baseline
    expect((await count('cycle', 1040, 2))?.delta).toBe(40);
    expect(await count('cycle', 1040, 2)).toBeNull(); // re-delivered
    const reset = await count('cycle', 15, 4); // the controller restarted from 0
    expect(reset).toMatchObject({ delta: 15, reset: true });
    expect((await count('good', 7, 4))?.delta).toBe(0); // kinds count separately

    const total = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ sum: string }>`select sum(delta) as sum from machine_counts
        where machine_id = ${machine.id} and kind = 'cycle'`.execute(tx),
    );
    expect(Number(total.rows[0]?.sum)).toBe(55);
  });

  it('opens one stale period per source and ends it when data flows again', async () => {
    const mark = (minutes: number) =>
      h.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals().markStale(tx, {
          machine_id: machine.id,
          site_id: machine.site_id,
          source: 'opcua',
          reason: 'connection lost',
          at: at(minutes),
        }),
      );
    expect(await mark(20)).toBe(true);
    expect(await mark(21)).toBe(false); // already stale
    const fresh = (minutes: number) =>
      h.db.transaction(SYSTEM_SCOPE, (tx) =>
        signals().markFresh(tx, {
          machine_id: machine.id,
          site_id: machine.site_id,
          source: 'opcua',
          at: at(minutes),
        }),
      );
    expect(await fresh(25)).toBe(true);
    expect(await fresh(26)).toBe(false);
    const periods = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ started_at: Date; ended_at: Date | null }>`
        select started_at, ended_at from machine_stale_periods where machine_id = ${machine.id}`.execute(tx),
    );
    expect(periods.rows).toEqual([{ started_at: at(20), ended_at: at(25) }]);
  });

  it('hides another site’s signals from its users (row-level security)', async () => {
    const otherSite = await buildSite(h);
    const seen = await h.db.transaction({ userId: null, siteIds: [otherSite.id], allSites: false }, (tx) =>
      sql<{ n: string }>`select count(*) as n from machine_states where machine_id = ${machine.id}`.execute(
        tx,
      ),
    );
    expect(Number(seen.rows[0]?.n)).toBe(0);
  });
});
