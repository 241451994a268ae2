/** Child processes for the benchmark: spawn, wait until they answer, stop them, keep their last words. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines the child wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** Resolves with the first stdout line that parses as JSON and has `key`. */
  jsonLine(key: string, timeoutMs: number): Promise<Record<string, unknown>>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
  stop(graceMs: number): Promise<void>;
}

const TAIL_LINES = 40;

export function startChild(name: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Child {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stdoutLines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      if (stream !== child.stdout) return;
      if (stdoutLines.length < 100) stdoutLines.push(line);
      for (const waiter of waiters) waiter(line);
    });
  }

  return {
    name,
    process: child,
    tail: () => lines.join('\n'),
    jsonLine(key, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} printed no "${key}" within ${timeoutMs} ms`)),
          timeoutMs,
        );
        child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before it was ready`)));
        const check = (line: string) => {
          try {
            const parsed = JSON.parse(line) as Record<string, unknown>;
            if (key in parsed) {
              clearTimeout(timer);
              resolve(parsed);
            }
          } catch {
            // not a JSON line
          }
        };
        // Lines printed before this call count too (the child may be quicker than its parent).
        for (const line of stdoutLines) check(line);
        waiters.push(check);
      });
    },
    async stop(graceMs) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Polls `url` until it answers 2xx; fails early if the child exits. */
export async function waitForOk(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null)
      throw new Error(`${child.name} exited with code ${child.process.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(250);
  }
  throw new Error(`${url} was not ready within ${timeoutMs} ms (${last})`);
}
