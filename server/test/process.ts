import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../src/platform/net.ts';

export { freePort };

const ROOT = path.resolve(import.meta.dirname, '../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

export interface HomProcess {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<number | null>;
}

/** Starts `node server/src/main.ts` (what `npm start` runs) and resolves once it logs "HOM started". */
export async function startHomProcess(env: Record<string, string>, timeoutMs = 90_000): Promise<HomProcess> {
  const port = env.PORT ?? String(await freePort());
  const child = spawn(NODE, ['server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...env,
      PORT: port,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started = Date.now();
  while (!output.includes('"HOM started"')) {
    if (child.exitCode !== null) throw new Error(`HOM exited with ${child.exitCode}:\n${output}`);
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`HOM did not start in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Sends `signal` and waits for the exit; SIGKILL after `timeoutMs`. Resolves with the exit code (null when killed). */
export async function stopHomProcess(
  hom: HomProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 15_000,
): Promise<number | null> {
  if (hom.child.exitCode !== null || hom.child.signalCode !== null) return hom.child.exitCode;
  hom.child.kill(signal);
  const timer = setTimeout(() => hom.child.kill('SIGKILL'), timeoutMs);
  try {
    return await hom.exited;
  } finally {
    clearTimeout(timer);
  }
}

export function runCli(
  args: string[],
  env: Record<string, string>,
  stdin: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(NODE, ['server/src/cli.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdin.end(stdin);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
