/**
 * `npm run bench:ingest [-- --only batch,single,amqp,live --rounds 3 --profile]`: the ingest benchmarks
 * one after the other, each in its own process with its own database (and, for amqp, its own RabbitMQ
 * virtual host), each printing its table. Options of one benchmark: run its file directly, e.g.
 * `node bench/ingest-batch.ts --clients 8`. See docs/performance.md ("Ingest").
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const BENCHES = {
  batch: 'bench/ingest-batch.ts',
  single: 'bench/ingest-single.ts',
  amqp: 'bench/ingest-amqp.ts',
  live: 'bench/live-fanout.ts',
} as const;
type Name = keyof typeof BENCHES;

const { values: flags } = parseArgs({
  options: {
    only: { type: 'string', default: Object.keys(BENCHES).join(',') },
    rounds: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const chosen = flags.only.split(',').map((name) => name.trim()) as Name[];
const unknown = chosen.filter((name) => !(name in BENCHES));
if (unknown.length > 0) {
  console.error(`--only takes ${Object.keys(BENCHES).join(', ')}; unknown: ${unknown.join(', ')}`);
  process.exit(2);
}
const args = [...(flags.rounds ? ['--rounds', flags.rounds] : []), ...(flags.profile ? ['--profile'] : [])];

let current: ReturnType<typeof spawn> | undefined;
process.once('SIGINT', () => {
  // The child got the same SIGINT from the terminal and cleans up; wait for it.
  console.error('\ninterrupted: waiting for the running benchmark to clean up');
});

const failed: Name[] = [];
const started = Date.now();
for (const name of chosen) {
  console.log(`\n=== ${name}: node ${BENCHES[name]} ${args.join(' ')}`.trimEnd());
  current = spawn(process.execPath, [BENCHES[name], ...args], { cwd: ROOT, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => current!.once('exit', resolve));
  if (code !== 0) failed.push(name);
  if (code === 130) break;
}
console.log(
  `\ningest benchmarks done in ${((Date.now() - started) / 1000).toFixed(0)} s` +
    (failed.length > 0 ? `; aborted: ${failed.join(', ')}` : ''),
);
if (failed.length > 0) process.exitCode = 1;
