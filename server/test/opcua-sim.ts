import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  DataType,
  MessageSecurityMode,
  OPCUACertificateManager,
  OPCUAServer,
  SecurityPolicy,
  StatusCodes,
  Variant,
  type UAVariable,
} from 'node-opcua';

/**
 * A simulated injection moulding machine on a real node-opcua server, for tests, benchmarks and e2e
 * flows. Objects/<name> holds CycleCounter (UInt32, +1 every cycle), MachineState (Int32: 0 stopped,
 * 1 running, 2 idle, 3 fault, 4 setup), GoodParts and RejectParts (UInt32, every 10th cycle a reject).
 * `restart()` stops the server and starts a new one on the same port with every counter back at 0,
 * as a PLC does after a power cycle.
 */
export interface SimulatedMachine {
  url: string;
  port: number;
  nodeIds: { folder: string; cycle: string; state: string; good: string; reject: string };
  cycles(): number;
  setState(state: number): void;
  /** Stops or resumes the cycle counter (a machine that stops producing). */
  pause(paused: boolean): void;
  /**
   * Deletes every subscription server-side without telling the clients (as some PLCs do after a
   * program download): sessions stay up, notifications and keep-alives stop. Returns how many.
   */
  dropSubscriptions(): number;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** The server's application certificate (DER), as a client sees it on a secure channel. */
  certificate(): Buffer;
  /** Sessions open on the server now (0 while it is stopped). */
  sessions(): number;
  /** Extra UInt32 variables Objects/Bench/V0000.. changing every second (benchmarks). */
  benchNodeIds: string[];
}

export interface SimulatedMachineOptions {
  name?: string;
  port?: number;
  cycleMs?: number;
  /** Offer Basic256Sha256 Sign and SignAndEncrypt next to None. */
  secure?: boolean;
  /** Require this user (anonymous refused). */
  user?: { username: string; password: string };
  /** Extra variables changing every `benchIntervalMs` (benchmarks). */
  benchVariables?: number;
  benchIntervalMs?: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startSimulatedMachine(
  options: SimulatedMachineOptions = {},
): Promise<SimulatedMachine> {
  const name = options.name ?? 'IMM-01';
  const port = options.port ?? (await freePort());
  const pkiDir = await fs.mkdtemp(path.join(os.tmpdir(), 'hom-opcua-sim-pki-'));
  const nodeIds = {
    folder: `ns=1;s=${name}`,
    cycle: `ns=1;s=${name}.CycleCounter`,
    state: `ns=1;s=${name}.MachineState`,
    good: `ns=1;s=${name}.GoodParts`,
    reject: `ns=1;s=${name}.RejectParts`,
  };
  const benchNodeIds = Array.from(
    { length: options.benchVariables ?? 0 },
    (_unused, index) => `ns=1;s=Bench.V${String(index).padStart(4, '0')}`,
  );
  let counters = { cycles: 0, good: 0, reject: 0, state: 1 };
  let paused = false;
  let server: OPCUAServer | undefined;
  let variables: Record<'cycle' | 'state' | 'good' | 'reject', UAVariable> | undefined;
  let benchVariables: UAVariable[] = [];
  const timers: NodeJS.Timeout[] = [];

  const set = (variable: UAVariable | undefined, dataType: DataType, value: number) =>
    variable?.setValueFromSource(new Variant({ dataType, value }), StatusCodes.Good, new Date());

  async function start(): Promise<void> {
    const created = new OPCUAServer({
      port,
      host: '127.0.0.1',
      hostname: '127.0.0.1',
      resourcePath: '/UA/HomSim',
      buildInfo: { productName: 'HOM simulated moulding machine', manufacturerName: 'HOM tests' },
      serverCertificateManager: new OPCUACertificateManager({
        rootFolder: path.join(pkiDir, 'server'),
        automaticallyAcceptUnknownCertificate: true,
        disableFileWatchers: true,
      }),
      securityModes: options.secure
        ? [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt]
        : [MessageSecurityMode.None],
      securityPolicies: options.secure
        ? [SecurityPolicy.None, SecurityPolicy.Basic256Sha256]
        : [SecurityPolicy.None],
      allowAnonymous: !options.user,
      ...(options.user
        ? {
            userManager: {
              isValidUser: (username: string, password: string) =>
                username === options.user?.username && password === options.user.password,
            },
          }
        : {}),
    });
    await created.initialize();
    const addressSpace = created.engine.addressSpace;
    if (!addressSpace) throw new Error('the simulated server has no address space');
    const namespace = addressSpace.getOwnNamespace();
    const machine = namespace.addObject({
      organizedBy: addressSpace.rootFolder.objects,
      browseName: name,
      nodeId: `s=${name}`,
    });
    const variable = (browseName: string, dataType: 'UInt32' | 'Int32', value: number) =>
      namespace.addVariable({
        componentOf: machine,
        browseName,
        nodeId: `s=${name}.${browseName}`,
        dataType,
        minimumSamplingInterval: 50,
        value: { dataType: DataType[dataType], value },
      });
    variables = {
      cycle: variable('CycleCounter', 'UInt32', counters.cycles),
      state: variable('MachineState', 'Int32', counters.state),
      good: variable('GoodParts', 'UInt32', counters.good),
      reject: variable('RejectParts', 'UInt32', counters.reject),
    };
    if (benchNodeIds.length > 0) {
      const bench = namespace.addObject({
        organizedBy: addressSpace.rootFolder.objects,
        browseName: 'Bench',
        nodeId: 's=Bench',
      });
      benchVariables = benchNodeIds.map((nodeId, index) =>
        namespace.addVariable({
          componentOf: bench,
          browseName: `V${String(index).padStart(4, '0')}`,
          nodeId: nodeId.replace('ns=1;', ''),
          dataType: 'UInt32',
          minimumSamplingInterval: 100,
          value: { dataType: DataType.UInt32, value: 0 },
        }),
      );
      let tick = 0;
      timers.push(
        setInterval(() => {
          tick += 1;
          for (const benchVariable of benchVariables) set(benchVariable, DataType.UInt32, tick);
        }, options.benchIntervalMs ?? 1000),
      );
    }
    await created.start();
    server = created;
  }

  function cycle(): void {
    if (paused || counters.state !== 1) return;
    counters.cycles += 1;
    if (counters.cycles % 10 === 0) counters.reject += 1;
    else counters.good += 1;
    set(variables?.cycle, DataType.UInt32, counters.cycles);
    set(variables?.good, DataType.UInt32, counters.good);
    set(variables?.reject, DataType.UInt32, counters.reject);
  }

  async function shutdown(): Promise<void> {
    const running = server;
    server = undefined;
    variables = undefined;
    benchVariables = [];
    while (timers.length > 0) clearInterval(timers.pop());
    if (running) await running.shutdown(0);
  }

  async function startAll(): Promise<void> {
    await start();
    if (options.cycleMs !== 0) timers.push(setInterval(cycle, options.cycleMs ?? 200));
  }

  await startAll();
  return {
    url: `opc.tcp://127.0.0.1:${port}/UA/HomSim`,
    port,
    nodeIds,
    benchNodeIds,
    cycles: () => counters.cycles,
    sessions: () => server?.engine.currentSessionCount ?? 0,
    certificate() {
      if (!server) throw new Error('the simulated machine is stopped');
      return Buffer.from(server.getCertificate());
    },
    setState(state) {
      counters.state = state;
      set(variables?.state, DataType.Int32, state);
    },
    pause(value) {
      paused = value;
    },
    dropSubscriptions() {
      let dropped = 0;
      for (const session of server?.engine.getSessions() ?? [])
        for (const subscription of [...session.publishEngine.subscriptions]) {
          session.deleteSubscription(subscription.id);
          dropped += 1;
        }
      return dropped;
    },
    async restart() {
      await shutdown();
      counters = { cycles: 0, good: 0, reject: 0, state: counters.state };
      await startAll();
    },
    async stop() {
      await shutdown();
      await fs.rm(pkiDir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP relay between HOM and a server, to cut the network (`cut`: connections dropped, new ones
 * refused) or to make it silently lose everything (`blackhole`: connections stay open, no byte
 * passes: a half-open link HOM must notice by itself).
 */
export interface TcpRelay {
  port: number;
  cut(): void;
  blackhole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  let mode: 'pass' | 'cut' | 'blackhole' = 'pass';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  const relay = net.createServer((client) => {
    if (mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (!pair.frozen) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut() {
      mode = 'cut';
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
    },
    blackhole() {
      mode = 'blackhole';
      for (const pair of pairs) pair.frozen = true;
    },
    restore() {
      mode = 'pass';
    },
    async close() {
      for (const pair of [...pairs]) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    },
  };
}
