import { sql } from 'kysely';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildLine,
  buildMachine,
  buildSite,
  buildUser,
  type MachineRecord,
  type SiteRecord,
  type UserRecord,
} from '../../../../test/factories.ts';
import { createHarness, type Harness } from '../../../../test/harness.ts';
import { SYSTEM_SCOPE } from '../../../platform/db/database.ts';

let h: Harness;
let site: SiteRecord;
let otherSite: SiteRecord;
let technician: UserRecord;
let operator: UserRecord;
let outsider: UserRecord;
let machine: MachineRecord;
let machine2: MachineRecord;
let sequence = 0;

interface Tool {
  id: number;
  site_id: number;
  asset_number: string;
  status: string;
  total_shots: number;
  life_used_percent: number | null;
  near_life_limit: boolean;
  mounted: { machine_id: number; position: string } | null;
}

const errorCode = (response: { json(): unknown }) => (response.json() as { error_code: string }).error_code;
const at = (minutes: number) => new Date(Date.parse('2026-01-10T08:00:00Z') + minutes * 60_000).toISOString();

async function newTool(overrides: Record<string, unknown> = {}, token = h.adminToken): Promise<Tool> {
  const response = await h.request({
    method: 'POST',
    url: '/tools',
    token,
    payload: {
      site_id: site.id,
      asset_number: `MLD-${++sequence}`,
      name: 'Cap mould 4-cavity',
      ...overrides,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const shot = (toolId: number, payload: Record<string, unknown>, token = h.adminToken) =>
  h.request({ method: 'POST', url: `/tools/${toolId}/shots`, token, payload });

async function totalOf(toolId: number): Promise<number> {
  const response = await h.request({ method: 'GET', url: `/tools/${toolId}`, token: h.adminToken });
  return (response.json() as Tool).total_shots;
}

beforeAll(async () => {
  h = await createHarness();
  [site, otherSite] = await Promise.all([buildSite(h), buildSite(h)]);
  [technician, operator, outsider] = await Promise.all([
    buildUser(h, { role: 'technician', site_ids: [site.id] }),
    buildUser(h, { role: 'operator', site_ids: [site.id] }),
    buildUser(h, { role: 'technician', site_ids: [otherSite.id] }),
  ]);
  const line = await buildLine(h, site.id);
  [machine, machine2] = await Promise.all([buildMachine(h, line.id), buildMachine(h, line.id)]);
});
afterAll(() => h.close());

describe('tool registry', () => {
  it('creates, reads, edits and retires a tool; asset numbers are unique per site whatever the case', async () => {
    const tool = await newTool(
      { asset_number: 'M-100', kind: 'die', cavity_count: 2, life_limit_shots: 1000 },
      technician.token,
    );
    expect(tool).toMatchObject({
      asset_number: 'M-100',
      status: 'active',
      total_shots: 0,
      life_used_percent: 0,
    });
    const duplicate = await h.request({
      method: 'POST',
      url: '/tools',
      token: h.adminToken,
      payload: { site_id: site.id, asset_number: 'm-100', name: 'Another' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(errorCode(duplicate)).toBe('DUPLICATE_ASSET_NUMBER');
    // The same asset number on another site is a different tool.
    await newTool({ site_id: otherSite.id, asset_number: 'M-100' });

    const edited = await h.request({
      method: 'PATCH',
      url: `/tools/${tool.id}`,
      token: technician.token,
      payload: { storage_location: 'Rack B3', status: 'maintenance' },
    });
    expect(edited.json()).toMatchObject({ storage_location: 'Rack B3', status: 'maintenance' });

    const retired = await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/retire`,
      token: technician.token,
    });
    expect(retired.json()).toMatchObject({ status: 'retired' });
    const list = await h.request({ method: 'GET', url: `/tools?site_id=${site.id}`, token: h.adminToken });
    expect((list.json() as { items: Tool[] }).items.map((t) => t.id)).not.toContain(tool.id);
    const retiredList = await h.request({ method: 'GET', url: '/tools?status=retired', token: h.adminToken });
    expect((retiredList.json() as { items: Tool[] }).items.map((t) => t.id)).toContain(tool.id);
  });

  it('refuses bad input with the field named, storing nothing', async () => {
    for (const payload of [
      { site_id: site.id, asset_number: '', name: 'x' },
      { site_id: site.id, asset_number: 'OK-1', name: 'x', kind: 'hammer' },
      { site_id: site.id, asset_number: 'OK-1', name: 'x', cavity_count: 0 },
      { site_id: site.id, asset_number: 'OK-1', name: 'x', life_limit_shots: -5 },
      { site_id: site.id, asset_number: 'OK-1', name: 'x', status: 'retired' },
    ]) {
      const response = await h.request({ method: 'POST', url: '/tools', token: h.adminToken, payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
    }
    const list = await h.request({ method: 'GET', url: '/tools?q=OK-1', token: h.adminToken });
    expect((list.json() as { items: Tool[] }).items).toHaveLength(0);
  });

  it('sets, changes and clears the ideal cycle time, refusing values numeric(10, 3) cannot keep', async () => {
    const tool = await newTool({ ideal_cycle_seconds: 12.5 });
    expect(tool).toMatchObject({ ideal_cycle_seconds: 12.5 });
    const patch = (payload: Record<string, unknown>) =>
      h.request({ method: 'PATCH', url: `/tools/${tool.id}`, token: technician.token, payload });
    expect((await patch({ ideal_cycle_seconds: 0.125 })).json()).toMatchObject({
      ideal_cycle_seconds: 0.125,
    });
    // Leaving the field out keeps it; null clears it (the machine's ideal cycle time applies again).
    expect((await patch({ name: 'Renamed' })).json()).toMatchObject({ ideal_cycle_seconds: 0.125 });
    for (const value of [0, -1, 86_400.5, 1.2345, '12', true]) {
      const bad = await patch({ ideal_cycle_seconds: value });
      expect(bad.statusCode, String(value)).toBe(422);
      expect(JSON.stringify(bad.json()), String(value)).toContain('ideal_cycle_seconds');
    }
    const refused = await h.request({
      method: 'POST',
      url: '/tools',
      token: h.adminToken,
      payload: { site_id: site.id, asset_number: 'ICT-BAD', name: 'x', ideal_cycle_seconds: 0 },
    });
    expect(refused.statusCode).toBe(422);
    expect((await patch({ ideal_cycle_seconds: 86_400 })).json()).toMatchObject({
      ideal_cycle_seconds: 86_400,
    });
    expect((await patch({ ideal_cycle_seconds: null })).json()).toMatchObject({ ideal_cycle_seconds: null });
    const read = await h.request({ method: 'GET', url: `/tools/${tool.id}`, token: operator.token });
    expect(read.json()).toMatchObject({ ideal_cycle_seconds: null });

    const graphql = await h.request({
      method: 'POST',
      url: '/graphql',
      token: technician.token,
      payload: {
        query: `mutation { updateTool(id: ${tool.id}, input: {idealCycleSeconds: 7.25}) { idealCycleSeconds } }`,
      },
    });
    expect(graphql.json()).toEqual({ data: { updateTool: { idealCycleSeconds: 7.25 } } });
  });

  it('keeps each site to itself and lets only tool managers edit', async () => {
    const tool = await newTool();
    const hidden = await h.request({ method: 'GET', url: `/tools/${tool.id}`, token: outsider.token });
    expect(hidden.statusCode).toBe(404);
    const list = await h.request({ method: 'GET', url: '/tools', token: outsider.token });
    expect((list.json() as { items: Tool[] }).items.every((t) => t.site_id === otherSite.id)).toBe(true);
    const create = await h.request({
      method: 'POST',
      url: '/tools',
      token: operator.token,
      payload: { asset_number: 'OP-1', name: 'x' },
    });
    expect(create.statusCode).toBe(403);
    const patch = await h.request({
      method: 'PATCH',
      url: `/tools/${tool.id}`,
      token: operator.token,
      payload: { name: 'y' },
    });
    expect(patch.statusCode).toBe(403);
    const mount = await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/mount`,
      token: operator.token,
      payload: { machine_id: machine.id },
    });
    expect(mount.statusCode).toBe(403);
    // An operator records shots.
    expect((await shot(tool.id, { kind: 'delta', shots: 10 }, operator.token)).statusCode).toBe(201);
    // Someone from another site does not.
    expect((await shot(tool.id, { kind: 'delta', shots: 10 }, outsider.token)).statusCode).toBe(404);
    expect(await totalOf(tool.id)).toBe(10);
  });

  it('pages the list with a cursor and filters near the life limit', async () => {
    const near = await newTool({ life_limit_shots: 100, name: 'Near-limit mould' });
    await shot(near.id, { kind: 'counter', counter_value: 95 });
    const filtered = await h.request({
      method: 'GET',
      url: `/tools?near_limit=true&site_id=${site.id}`,
      token: h.adminToken,
    });
    expect(filtered.statusCode, filtered.body).toBe(200);
    const items = (filtered.json() as { items: Tool[] }).items;
    expect(items.map((t) => t.id)).toContain(near.id);
    expect(items.every((t) => t.near_life_limit)).toBe(true);
    expect(items.find((t) => t.id === near.id)?.life_used_percent).toBe(95);

    await newTool();
    await newTool();
    const first = await h.request({ method: 'GET', url: '/tools?limit=2', token: h.adminToken });
    const page = first.json() as { items: Tool[]; next_cursor: string };
    expect(page.items).toHaveLength(2);
    const second = await h.request({
      method: 'GET',
      url: `/tools?limit=2&cursor=${page.next_cursor}`,
      token: h.adminToken,
    });
    const ids = (second.json() as { items: Tool[] }).items.map((t) => t.id);
    expect(ids.some((id) => page.items.some((t) => t.id === id))).toBe(false);
  });

  it('pages through tools created in the same instant (one import) without losing any', async () => {
    const { rows } = await h.db.transaction(SYSTEM_SCOPE, (tx) =>
      sql<{ id: number }>`
        insert into tools (site_id, asset_number, name, kind, created_at)
        select ${otherSite.id}, 'BULK-' || n, 'Bulk mould ' || n, 'mould', '2026-01-05T10:00:00.123456Z'
        from generate_series(1, 7) n
        returning id`.execute(tx),
    );
    const seen: number[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10; page++) {
      const response = await h.request({
        method: 'GET',
        url: `/tools?site_id=${otherSite.id}&q=BULK-&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        token: h.adminToken,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as { items: Tool[]; next_cursor: string | null };
      seen.push(...body.items.map((t) => t.id));
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    expect(seen.sort((a, b) => a - b)).toEqual(rows.map((row) => row.id).sort((a, b) => a - b));
  });
});

describe('mounting', () => {
  it('mounts and unmounts with times, and says where when the tool or the position is taken', async () => {
    const a = await newTool();
    const b = await newTool();
    const mount = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/mount`,
      token: technician.token,
      payload: { machine_id: machine.id, at: at(0) },
    });
    expect(mount.statusCode, mount.body).toBe(201);
    expect(mount.json()).toMatchObject({ position: 'main', removed_at: null });

    const again = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/mount`,
      token: technician.token,
      payload: { machine_id: machine2.id },
    });
    expect(again.statusCode).toBe(409);
    expect(errorCode(again)).toBe('TOOL_ALREADY_MOUNTED');
    expect((again.json() as { message: string }).message).toContain(machine.code);

    const taken = await h.request({
      method: 'POST',
      url: `/tools/${b.id}/mount`,
      token: technician.token,
      payload: { machine_id: machine.id, position: 'main' },
    });
    expect(taken.statusCode).toBe(409);
    expect(errorCode(taken)).toBe('POSITION_TAKEN');
    expect((taken.json() as { message: string }).message).toContain(a.asset_number);

    // Another position of the same machine is free.
    const side = await h.request({
      method: 'POST',
      url: `/tools/${b.id}/mount`,
      token: technician.token,
      payload: { machine_id: machine.id, position: 'B', at: at(5) },
    });
    expect(side.statusCode, side.body).toBe(201);
    const onMachine = await h.request({
      method: 'GET',
      url: `/machines/${machine.id}/tools`,
      token: operator.token,
    });
    expect((onMachine.json() as { tool_id: number }[]).map((m) => m.tool_id).sort()).toEqual(
      [a.id, b.id].sort(),
    );

    const early = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/unmount`,
      token: technician.token,
      payload: { at: at(-10) },
    });
    expect(early.statusCode).toBe(422);
    const off = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/unmount`,
      token: technician.token,
      payload: { at: at(60) },
    });
    expect(off.statusCode).toBe(200);
    // A back-dated mounting into the window it already had is refused: history never overlaps.
    const overlap = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/mount`,
      token: technician.token,
      payload: { machine_id: machine2.id, at: at(30) },
    });
    expect(overlap.statusCode).toBe(409);
    const notMounted = await h.request({
      method: 'POST',
      url: `/tools/${a.id}/unmount`,
      token: technician.token,
      payload: {},
    });
    expect(errorCode(notMounted)).toBe('TOOL_NOT_MOUNTED');

    const history = await h.request({
      method: 'GET',
      url: `/tools/${a.id}/mountings`,
      token: operator.token,
    });
    expect(history.json()).toHaveLength(1);
    expect((history.json() as { removed_at: string }[])[0]!.removed_at).toBe(at(60));
  });

  it('refuses a machine of another site', async () => {
    const tool = await newTool();
    const otherMachine = await buildMachine(h, (await buildLine(h, otherSite.id)).id);
    const response = await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/mount`,
      token: h.adminToken,
      payload: { machine_id: otherMachine.id },
    });
    expect(response.statusCode).toBe(422);
    expect(errorCode(response)).toBe('UNKNOWN_MACHINE');
  });
});

describe('shot counters', () => {
  it('computes deltas from counter readings with a reset and a rollover, out of order, without double counting', async () => {
    const tool = await newTool({ counter_max: 999_999, life_limit_shots: 2_000_000 });
    const post = (value: number, minutes: number) =>
      shot(tool.id, { kind: 'counter', counter_value: value, taken_at: at(minutes) });
    expect((await post(1000, 0)).statusCode).toBe(201);
    await post(5000, 10);
    await post(999_000, 30);
    await post(500, 40); // rollover: 999 + 500 + 1 = 1500
    await post(200, 50); // reset: 200
    expect(await totalOf(tool.id)).toBe(999_000 + 1500 + 200);

    // Out of order: a reading between 10 and 30 min splits a delta without changing the total.
    const between = await post(300_000, 20);
    expect(between.statusCode).toBe(201);
    expect((between.json() as { reading: { delta: number } }).reading.delta).toBe(295_000);
    expect(await totalOf(tool.id)).toBe(999_000 + 1500 + 200);

    // Sent again: nothing changes (200, created false); with another value at the same time: 409.
    const repeat = await post(300_000, 20);
    expect(repeat.statusCode).toBe(200);
    expect(repeat.json()).toMatchObject({ created: false });
    const clash = await post(300_001, 20);
    expect(clash.statusCode).toBe(409);
    expect(await totalOf(tool.id)).toBe(999_000 + 1500 + 200);

    const summary = await h.request({ method: 'GET', url: `/tools/${tool.id}/shots`, token: operator.token });
    const body = summary.json() as {
      readings: { is_reset: boolean; is_rollover: boolean }[];
      daily: { cumulative: number }[];
      life_used_percent: number;
    };
    expect(body.readings).toHaveLength(6);
    expect(body.readings.filter((r) => r.is_rollover)).toHaveLength(1);
    expect(body.readings.filter((r) => r.is_reset)).toHaveLength(1);
    expect(body.daily.at(-1)!.cumulative).toBe(1_000_700);
    expect(body.life_used_percent).toBe(50);
  });

  it('adds delta readings and refuses a counter above the counter maximum', async () => {
    const tool = await newTool({ counter_max: 9999 });
    expect((await shot(tool.id, { kind: 'delta', shots: 250 })).statusCode).toBe(201);
    const above = await shot(tool.id, { kind: 'counter', counter_value: 10_000 });
    expect(above.statusCode).toBe(422);
    expect(errorCode(above)).toBe('COUNTER_ABOVE_MAX');
    const mixed = await shot(tool.id, { kind: 'counter', shots: 5 });
    expect(mixed.statusCode).toBe(422);
    const future = await shot(tool.id, { kind: 'delta', shots: 5, taken_at: '2999-01-01T00:00:00Z' });
    expect(future.statusCode).toBe(422);
    expect(await totalOf(tool.id)).toBe(250);
  });

  it('turns machine cycle counts into shots of the tool mounted at that time', async () => {
    const tool = await newTool();
    const line = await buildLine(h, site.id);
    const press = await buildMachine(h, line.id);
    await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/mount`,
      token: h.adminToken,
      payload: { machine_id: press.id, at: at(0) },
    });
    const record = (value: number, minutes: number) =>
      h.db.transaction(SYSTEM_SCOPE, (tx) =>
        h.server.modules.recordMachineCycles(tx, {
          machine_id: press.id,
          counter_value: value,
          at: new Date(at(minutes)),
        }),
      );
    await record(50_000, -5); // before the mounting: not this tool's
    await record(50_100, 1); // baseline of the mounting
    await record(50_400, 10);
    await record(50_400, 10); // again: idempotent
    await record(50_350, 5); // out of order
    expect(await totalOf(tool.id)).toBe(300);

    // Taken off at 20 min: cycles after that are not this tool's any more.
    await h.request({
      method: 'POST',
      url: `/tools/${tool.id}/unmount`,
      token: h.adminToken,
      payload: { at: at(20) },
    });
    const later = await record(51_000, 30);
    expect(later.tool_ids).toEqual([]);
    expect(await totalOf(tool.id)).toBe(300);
  });

  it('imports readings from CSV all or nothing, with errors per row', async () => {
    const tool = await newTool({ asset_number: 'CSV-1' });
    const bad = [
      'asset_number,taken_at,counter_value,shots',
      `CSV-1,${at(0)},100,`,
      `NOPE-9,${at(1)},200,`,
      `CSV-1,yesterday,300,`,
      `CSV-1,${at(3)},5,6`,
    ].join('\n');
    const refused = await h.request({
      method: 'POST',
      url: `/tools/shots/import?site_id=${site.id}`,
      token: operator.token,
      headers: { 'content-type': 'text/csv' },
      payload: bad,
    });
    expect(refused.statusCode).toBe(422);
    const fields = (refused.json() as { errors: { field: string }[] }).errors.map((e) => e.field);
    expect([...fields].sort()).toEqual(['row 3: asset_number', 'row 4: taken_at', 'row 5: counter_value']);
    expect(await totalOf(tool.id)).toBe(0);

    const good = [
      'asset_number;taken_at;counter_value;shots',
      `csv-1;${at(0)};100;`,
      `CSV-1;${at(5)};;40`,
      `CSV-1;${at(9)};180;`,
    ].join('\r\n');
    const send = () =>
      h.request({
        method: 'POST',
        url: `/tools/shots/import?site_id=${site.id}`,
        token: operator.token,
        headers: { 'content-type': 'text/csv' },
        payload: good,
      });
    const imported = await send();
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json()).toEqual({ rows: 3, created: 3, duplicates: 0, tools: 1 });
    expect(await totalOf(tool.id)).toBe(180);
    const again = await send();
    expect(again.json()).toEqual({ rows: 3, created: 0, duplicates: 3, tools: 0 });
    expect(await totalOf(tool.id)).toBe(180);
  });
});

describe('photos', () => {
  it('stores photos by angle, lists them by angle, and refuses an unknown angle', async () => {
    const tool = await newTool();
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#369' } })
      .png()
      .toBuffer();
    const upload = (angle: string, token = technician.token) => {
      const boundary = '----hom-test';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="angle"\r\n\r\n${angle}\r\n`),
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="front.png"\r\nContent-Type: image/png\r\n\r\n`,
        ),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return h.request({
        method: 'POST',
        url: `/tools/${tool.id}/photos`,
        token,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload: body,
      });
    };
    const front = await upload('front');
    expect(front.statusCode, front.body).toBe(201);
    expect(front.json()).toMatchObject({ tag: 'front', owner_type: 'tool', owner_id: tool.id });
    expect((await upload('cavity')).statusCode).toBe(201);
    expect((await upload('sideways')).statusCode).toBe(422);
    expect((await upload('rear', operator.token)).statusCode).toBe(403);

    const cavity = await h.request({
      method: 'GET',
      url: `/tools/${tool.id}/photos?angle=cavity`,
      token: operator.token,
    });
    expect((cavity.json() as { tag: string }[]).map((p) => p.tag)).toEqual(['cavity']);
    const thumb = await h.request({
      method: 'GET',
      url: `${(front.json() as { thumbnail_url: string }).thumbnail_url}`,
      token: operator.token,
    });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
  });
});

describe('GraphQL', () => {
  it('refuses a tool edit to an operator with the code in extensions', async () => {
    const response = await h.request({
      method: 'POST',
      url: '/graphql',
      token: operator.token,
      payload: { query: 'mutation { createTool(input: {assetNumber: "OP-GQL", name: "x"}) { id } }' },
    });
    const body = response.json() as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('creates a tool and records shots in camelCase', async () => {
    const query = `mutation { createTool(input: {siteId: ${site.id}, assetNumber: "GQL-1", name: "Gql mould", kind: GAUGE}) { id kind status } }`;
    const created = await h.request({
      method: 'POST',
      url: '/graphql',
      token: technician.token,
      payload: { query },
    });
    const tool = (created.json() as { data: { createTool: { id: string; kind: string } } }).data.createTool;
    expect(tool.kind).toBe('GAUGE');
    const recorded = await h.request({
      method: 'POST',
      url: '/graphql',
      token: operator.token,
      payload: {
        query: `mutation { recordShots(toolId: ${tool.id}, input: {kind: "delta", shots: 42}) { totalShots created } }`,
      },
    });
    expect(recorded.json()).toEqual({ data: { recordShots: { totalShots: 42, created: true } } });
    const read = await h.request({
      method: 'POST',
      url: '/graphql',
      token: operator.token,
      payload: {
        query: `{ tool(id: ${tool.id}) { assetNumber totalShots } toolShots(toolId: ${tool.id}) { shotsLast30Days } }`,
      },
    });
    expect((read.json() as { data: { tool: { totalShots: number } } }).data.tool.totalShots).toBe(42);
  });
});
