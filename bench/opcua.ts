/**
 * `npm run bench:opcua [-- --items 1000 --seconds 60 --warmup 15]`: 1,000 OPC-UA monitored items at
 * 1 s. A node-opcua server (child process, bench/opcua-server.ts) counts `--items` UInt32 variables up
 * once a second, each the cycle counter of one machine. In the same run, one after the other:
 * (a) a bare node-opcua client (child process, bench/opcua-bare-client.ts) that only counts, and
 * (b) HOM's OPC-UA ingest (startOpcuaIngest, in this process) on a fresh embedded PostgreSQL, with a
 * tool mounted on every machine, so every change becomes a machine count and shots of the tool.
 * Both subscribe with 1 s publishing and sampling. Lag = source timestamp → received (bare) or →
 * committed (HOM); missed = counter values never seen (bare) or never stored (HOM). Goal (issue 7):
 * no lag (HOM's p99 within one publishing interval of the bare client's) and nothing missed.
 * Results in bench/results/opcua.json and docs/performance.md ("OPC-UA").
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../server/src/app.ts';
import { startOpcuaIngest, type CommittedSignal } from '../server/src/modules/telemetry/index.ts';
import { appUrlFrom, createDatabase } from '../server/src/platform/db/database.ts';
import { createLogger } from '../server/src/platform/logger.ts';
import {
  cpuMeter,
  fmt,
  forkChild,
  machineInfo,
  median,
  percentile,
  positiveInteger,
  postgresPid,
  ROOT,
  runBench,
  sleep,
  startDatabase,
  statementMeter,
  table,
  writeResults,
} from './ingest-common.ts';

const RESULTS_FILE = path.join(ROOT, 'bench/results/opcua.json');
const { values: flags } = parseArgs({
  options: {
    items: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '60' },
    warmup: { type: 'string', default: '15' },
    /** Print what PostgreSQL ran per stored value (pg_stat_statements), by total time. */
    statements: { type: 'boolean', default: false },
  },
});
const items = positiveInteger(flags.items, '--items');
const seconds = positiveInteger(flags.seconds, '--seconds');
const warmup = positiveInteger(flags.warmup, '--warmup');

interface Phase {
  target: 'bare' | 'hom';
  updates: number;
  perSecond: number;
  lagMedianMs: number;
  lagP99Ms: number;
  lagMaxMs: number;
  missed: number;
  cpu: Record<string, number>;
}

function summary(
  target: Phase['target'],
  lags: number[],
  missed: number,
  cpu: Record<string, number>,
): Phase {
  const sorted = [...lags].sort((a, b) => a - b);
  return {
    target,
    updates: sorted.length,
    perSecond: sorted.length / seconds,
    lagMedianMs: median(sorted),
    lagP99Ms: percentile(sorted, 99),
    lagMaxMs: sorted.at(-1) ?? Number.NaN,
    missed,
    cpu,
  };
}

void runBench('bench:opcua', async (cleanup) => {
  const database = await startDatabase(cleanup, 'opcua', { statements: flags.statements });
  const server = cleanup.child(
    forkChild('OPC-UA server', 'bench/opcua-server.ts', { OPCUA_BENCH_VARIABLES: String(items) }),
  );
  const { url, nodeIds } = await server.next<{ ready?: boolean; url: string; nodeIds: string[] }>(
    (message) => message.ready === true,
    60_000,
  );
  const pids = { 'OPC-UA server': server.process.pid, postgres: postgresPid(database) };

  // ---------- (a) the bare client ----------
  console.log(`bare client: subscribing to ${items} items, ${warmup} s warm-up, ${seconds} s measured`);
  const bare = cleanup.child(forkChild('bare client', 'bench/opcua-bare-client.ts', {}));
  await bare.next<{ ready?: boolean }>((message) => message.ready === true, 30_000);
  bare.send({ subscribe: { url, nodeIds } });
  await bare.next<{ subscribed?: boolean }>((message) => message.subscribed === true, 60_000);
  await sleep(warmup * 1000);
  const bareCpu = cpuMeter({ ...pids, 'bare client': bare.process.pid });
  bare.send({ measure: true });
  await sleep(seconds * 1000);
  bare.send({ report: true });
  const { report } = await bare.next<{ report?: { lagsMs: number[]; missed: number } }>(
    (message) => message.report !== undefined,
    30_000,
  );
  if (!report) throw new Error('the bare client sent no report');
  const barePhase = summary('bare', report.lagsMs, report.missed, bareCpu());
  await bare.stop(5_000);

  // ---------- (b) HOM ----------
  const log = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const db = createDatabase(appUrlFrom(database.ownerUrl, database.secret), 10, log);
  cleanup.add('HOM pool', () => db.close());
  const filesDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-bench-opcua-files-'));
  cleanup.add('files folder', () => fs.rm(filesDir, { recursive: true, force: true }));
  const app = await buildApp({
    config: {
      production: true,
      bodyLimitBytes: 1_048_576,
      trustProxy: false,
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlDays: 1,
      webDist: path.join(ROOT, 'web/dist'),
      filesDir,
    },
    secret: database.secret,
    db,
    log,
    opcuaPkiDir: path.join(database.dataDir, 'opcua-pki'),
  });
  cleanup.add('HOM app', () => app.app.close());
  await app.app.ready();
  const admin = { username: 'bench', password: 'bench-password-1234' };
  await app.modules.identity.services.accounts.createAdmin(admin, { onlyIfNone: true, log });
  const login = await app.app.inject({ method: 'POST', url: '/auth/login', payload: admin });
  const token = login.json<{ access_token: string }>().access_token;
  const call = async <T>(method: 'POST' | 'PUT', url: string, payload: object): Promise<T> => {
    const response = await app.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${token}` },
    });
    if (response.statusCode >= 300)
      throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json<T>();
  };
  console.log(`HOM: creating ${items} machines, each with a mounted tool and an OPC-UA connection`);
  const site = await call<{ id: number }>('POST', '/sites', {
    code: 'BENCH',
    name: 'Bench',
    time_zone: 'Europe/Berlin',
  });
  const line = await call<{ id: number }>('POST', '/lines', {
    site_id: site.id,
    code: 'L1',
    name: 'Moulding',
  });
  const machineIds: number[] = [];
  for (let start = 0; start < items; start += 20) {
    const batch = nodeIds.slice(start, start + 20);
    machineIds.push(
      ...(await Promise.all(
        batch.map(async (nodeId, offset) => {
          const index = start + offset;
          const code = `IMM-${String(index).padStart(4, '0')}`;
          const machine = await call<{ id: number }>('POST', '/machines', {
            line_id: line.id,
            code,
            name: code,
          });
          const tool = await call<{ id: number }>('POST', '/tools', {
            site_id: site.id,
            asset_number: `M-${String(index).padStart(4, '0')}`,
            name: `Mould ${index}`,
          });
          await call('POST', `/tools/${tool.id}/mount`, { machine_id: machine.id });
          await call('PUT', `/machines/${machine.id}/opcua`, {
            endpoint_url: url,
            cycle_node_id: nodeId,
            publishing_interval_ms: 1000,
          });
          return machine.id;
        }),
      )),
    );
  }

  let measuring = false;
  const homLags: number[] = [];
  const receiveLags: number[] = [];
  const ingest = startOpcuaIngest({
    db,
    log,
    signals: app.modules.telemetry.signals,
    secret: database.secret,
    pkiDir: path.join(database.dataDir, 'opcua-pki'),
    onCommitted: (signals: CommittedSignal[]) => {
      if (!measuring) return;
      for (const signal of signals) {
        homLags.push(signal.committed_at - signal.at.getTime());
        receiveLags.push(signal.received_at - signal.at.getTime());
      }
    },
  });
  cleanup.add('OPC-UA ingest', () => ingest.stop());
  console.log(`HOM: subscribing, ${warmup} s warm-up, ${seconds} s measured`);
  const subscribed = Date.now();
  while (ingest.status()[0]?.status !== 'connected') {
    if (Date.now() - subscribed > 120_000)
      throw new Error(`HOM did not connect: ${JSON.stringify(ingest.status())}`);
    await sleep(200);
  }
  await sleep(warmup * 1000);
  const homCpu = cpuMeter(pids);
  const writerBefore = ingest.writer();
  if (flags.statements) {
    const owner = new pg.Client({ connectionString: database.ownerUrl });
    await owner.connect();
    await owner.query('alter system set pg_stat_statements.track_planning = on');
    await owner.query('select pg_reload_conf()');
    await owner.end();
  }
  const statementsDone = flags.statements ? await statementMeter(database.ownerUrl) : undefined;
  const from = new Date();
  measuring = true;
  await sleep(seconds * 1000);
  measuring = false;
  const to = new Date();
  const writerAfter = ingest.writer();
  const statements = await statementsDone?.();
  const writer = {
    committed: writerAfter.committed - writerBefore.committed,
    merged: writerAfter.merged - writerBefore.merged,
    dropped: writerAfter.dropped - writerBefore.dropped,
    queuedAtEnd: writerAfter.queued,
  };
  const cpu = homCpu();
  cpu['HOM (this process)'] = cpu['load generator'] ?? Number.NaN;
  delete cpu['load generator'];

  // Missed: per machine, counter values in the window that were never stored (each value is one row).
  const owner = new pg.Client({ connectionString: database.ownerUrl });
  await owner.connect();
  cleanup.add('owner connection', () => owner.end());
  const gaps = await owner.query<{ missed: string; rows: string; shots: string }>(
    `select coalesce(sum(span - rows), 0) as missed, coalesce(sum(rows), 0) as rows,
            (select coalesce(sum(total_shots), 0) from tools) as shots
       from (select machine_id, max(counter_value) - min(counter_value) + 1 as span, count(*) as rows
               from machine_counts where kind = 'cycle' and at >= $1 and at < $2 group by machine_id) per_machine`,
    [from, to],
  );
  const missed = Number(gaps.rows[0]?.missed ?? 0);
  const homPhase = summary('hom', homLags, missed, cpu);
  const receivePhase = summary('hom', receiveLags, missed, {});

  const rows = [
    ['bare node-opcua client (received)', barePhase],
    ['HOM (received by the link)', receivePhase],
    ['HOM (committed to PostgreSQL)', homPhase],
  ] as const;
  console.log(
    `\nOPC-UA: ${items} monitored items at 1 s, ${seconds} s measured (${machineInfo().nproc} CPUs)`,
  );
  console.log(
    table(
      ['', 'updates/s', 'lag median ms', 'lag p99 ms', 'lag max ms', 'missed'],
      rows.map(([label, phase]) => [
        label,
        fmt(phase.perSecond, 0),
        fmt(phase.lagMedianMs, 0),
        fmt(phase.lagP99Ms, 0),
        fmt(phase.lagMaxMs, 0),
        fmt(phase.missed, 0),
      ]),
    ),
  );
  const cpuRows = [barePhase, homPhase].map((phase) => [
    phase.target,
    ...Object.entries(phase.cpu).map(([name, value]) => `${name} ${fmt(value / seconds, 2)}`),
  ]);
  console.log('  CPU seconds per second:');
  for (const row of cpuRows) console.log(`    ${row.join(', ')}`);
  console.log(`  tools' shots after the run: ${gaps.rows[0]?.shots}; machines: ${machineIds.length}`);
  console.log(
    `  HOM writer in the window: ${fmt(writer.committed)} entries committed, ${fmt(writer.merged)} counter values merged while the database was behind, ${fmt(writer.dropped)} dropped, ${fmt(writer.queuedAtEnd)} waiting at the end`,
  );
  if (statements) {
    const totals = await owner.query<{ exec: number; plan: number }>(
      `select sum(total_exec_time)::float8 as exec, sum(total_plan_time)::float8 as plan from pg_stat_statements`,
    );
    console.log(
      `  PostgreSQL per committed entry: ${fmt((totals.rows[0]?.exec ?? 0) / Math.max(1, writer.committed), 2)} ms executing, ${fmt((totals.rows[0]?.plan ?? 0) / Math.max(1, writer.committed), 2)} ms planning`,
    );
    const planning = await owner.query<{ calls: string; plan: number; exec: number; query: string }>(
      `select calls, total_plan_time::float8 as plan, total_exec_time::float8 as exec,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 90) as query
         from pg_stat_statements order by total_plan_time + total_exec_time desc limit 10`,
    );
    const per = (ms: number) => fmt(ms / Math.max(1, writer.committed), 3);
    console.log('  PostgreSQL time per committed entry, the costliest statements:');
    console.log(
      table(
        ['plan ms', 'exec ms', 'calls', 'statement'],
        planning.rows.map((row) => [per(row.plan), per(row.exec), per(Number(row.calls)), row.query]),
      ),
    );
  }
  const noLag = homPhase.lagP99Ms <= barePhase.lagP99Ms + 1000 && missed === 0;
  console.log(`  goal (p99 within 1 s of the bare client's, nothing missed): ${noLag ? 'met' : 'NOT MET'}`);
  await writeResults(RESULTS_FILE, {
    writer,
    machine: machineInfo(),
    items,
    seconds,
    warmup,
    bare: barePhase,
    hom: homPhase,
    received: receivePhase,
  });
});
