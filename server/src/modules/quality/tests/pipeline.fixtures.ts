import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A RabbitMQ node of its own for one test file (same installed RabbitMQ as the machine's broker, its
 * own name, port and data folder). The AMQP tests stop and restart their broker, block it and read its
 * queue: on the machine's shared broker that would cut every other suite (and anyone else) using it,
 * and other suites' workers would consume this file's messages from the shared queue.
 */
export interface TestBroker {
  url: string;
  node: string;
  /** `rabbitmqctl -n <node> ...`; resolves with stdout. */
  ctl(args: string[], timeoutMs?: number): Promise<string>;
  /** Messages in a queue, ready and unacknowledged; undefined when the queue does not exist. */
  depth(queue: string): Promise<{ ready: number; unacked: number; consumers: number } | undefined>;
  /** Makes sure the RabbitMQ application runs (after a test stopped it), and no memory alarm is set. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

const CTL = 'rabbitmqctl';

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port in [from, from + span) that is free now (outside the ephemeral range, so +offsets stay valid). */
async function pickPort(from: number, span: number): Promise<number> {
  for (let i = 0; i < 50; i += 1) {
    const port = from + Math.floor(Math.random() * span);
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${from}..${from + span}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startTestBroker(timeoutMs = 90_000): Promise<TestBroker> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-rabbit-'));
  // rabbitmq-server runs as the rabbitmq user (its wrapper switches to it when started by root).
  if (process.getuid?.() === 0) {
    const uid = Number((await run('id', ['-u', 'rabbitmq'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'rabbitmq'])).stdout.trim());
    await fs.chown(dir, uid, gid);
  } else {
    await fs.chmod(dir, 0o777);
  }
  const port = await pickPort(20_000, 10_000);
  const distPort = await pickPort(30_000, 2_000);
  const node = `hom-test-${process.pid}-${randomBytes(3).toString('hex')}@localhost`;
  const configFile = path.join(dir, 'rabbitmq.conf');
  await fs.writeFile(
    configFile,
    [`listeners.tcp.1 = 127.0.0.1:${port}`, 'log.console = false', 'log.file.level = info', ''].join('\n'),
    { mode: 0o644 },
  );
  const pidFile = path.join(dir, 'rabbit.pid');
  const settings = {
    RABBITMQ_NODENAME: node,
    RABBITMQ_NODE_PORT: String(port),
    RABBITMQ_DIST_PORT: String(distPort),
    RABBITMQ_CONFIG_FILE: configFile,
    RABBITMQ_MNESIA_BASE: path.join(dir, 'mnesia'),
    RABBITMQ_LOG_BASE: path.join(dir, 'log'),
    RABBITMQ_PID_FILE: pidFile,
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(dir, 'enabled_plugins'),
    RABBITMQ_ENABLED_PLUGINS: '',
  };
  const ctl = async (args: string[], ctlTimeoutMs = 60_000): Promise<string> =>
    (await run(CTL, ['-n', node, ...args], { timeout: ctlTimeoutMs, cwd: os.tmpdir() })).stdout;

  // Through env(1): the node gets this environment plus its own settings.
  await run(
    'env',
    [...Object.entries(settings).map(([k, v]) => `${k}=${v}`), 'rabbitmq-server', '-detached'],
    {
      cwd: os.tmpdir(),
      timeout: 30_000,
    },
  );
  const pid = (): number | undefined => {
    try {
      return Number.parseInt(readFileSync(pidFile, 'utf8'), 10) || undefined;
    } catch {
      return undefined;
    }
  };
  // Should the test process end without closing the broker, the node does not outlive it.
  const killOnExit = () => {
    const running = pid();
    if (running && alive(running)) process.kill(running, 'SIGKILL');
  };
  process.once('exit', killOnExit);
  const started = Date.now();
  for (;;) {
    try {
      await ctl(['await_startup', '--timeout', '60'], 65_000);
      break;
    } catch (error) {
      if (Date.now() - started > timeoutMs) {
        const log = await fs.readFile(path.join(dir, 'log', `${node}.log`), 'utf8').catch(() => '(no log)');
        throw new Error(`RabbitMQ node ${node} did not start in ${timeoutMs} ms\n${log}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  const broker: TestBroker = {
    url: `amqp://guest:guest@127.0.0.1:${port}`,
    node,
    ctl,
    async depth(queue) {
      const out = await ctl([
        '-q',
        'list_queues',
        '--no-table-headers',
        'name',
        'messages_ready',
        'messages_unacknowledged',
        'consumers',
      ]);
      for (const line of out.split('\n')) {
        const [name, ready, unacked, consumers] = line.trim().split(/\s+/);
        if (name === queue)
          return { ready: Number(ready), unacked: Number(unacked), consumers: Number(consumers) };
      }
      return undefined;
    },
    async restore() {
      await ctl(['start_app']);
      await ctl(['await_startup', '--timeout', '60'], 65_000);
      await ctl(['set_vm_memory_high_watermark', '0.4']);
    },
    async close() {
      const running = pid();
      await ctl(['stop'], 30_000).catch(() => undefined);
      const stopped = Date.now();
      while (running && alive(running) && Date.now() - stopped < 10_000)
        await new Promise((resolve) => setTimeout(resolve, 100));
      if (running && alive(running)) process.kill(running, 'SIGKILL');
      process.removeListener('exit', killOnExit);
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
  return broker;
}

/**
 * A TCP forwarder in front of PostgreSQL: `down()` refuses new connections and cuts the open ones
 * (what a process sees when the database host goes away), `up()` lets them through again.
 */
export interface TcpProxy {
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const created = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        sockets.add(client);
        sockets.add(upstream);
        const cut = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', cut).on('close', cut);
        upstream.on('error', cut).on('close', cut);
        client.pipe(upstream).pipe(client);
      });
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => {
        const address = created.address();
        if (typeof address === 'object' && address) port = address.port;
        server = created;
        resolve();
      });
    });
  const down = async () => {
    const current = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await listen();
  return {
    get port() {
      return port;
    },
    down,
    up: () => (server ? Promise.resolve() : listen()),
    close: down,
  };
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  everyMs = 200,
): Promise<T> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
