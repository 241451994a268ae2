/**
 * The OPC-UA server of bench/opcua.ts, a child process: the simulated machine of the tests with
 * `OPCUA_BENCH_VARIABLES` UInt32 variables (Objects/Bench/V0000…) that all count up once a second,
 * stamped with the source time of the change. Answers {ready, url, nodeIds} over IPC; stops on {stop}.
 */
import { startSimulatedMachine } from '../server/test/opcua-sim.ts';

const sim = await startSimulatedMachine({
  name: 'BENCH-SIM',
  cycleMs: 0,
  benchVariables: Number(process.env.OPCUA_BENCH_VARIABLES ?? '1000'),
  benchIntervalMs: 1000,
});
process.on('message', (message: { stop?: boolean }) => {
  if (message.stop) void sim.stop().finally(() => process.exit(0));
});
process.send?.({ ready: true, url: sim.url, nodeIds: sim.benchNodeIds });
