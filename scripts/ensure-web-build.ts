/**
 * `npm start` runs this first: builds the web app when web/dist is missing or older than its
 * sources, so a fresh clone needs nothing but `npm install && npm start`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'web/dist/index.html');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const sources = [
  path.join(root, 'web/src'),
  path.join(root, 'web/index.html'),
  path.join(root, 'web/vite.config.ts'),
];
const sourceTime = Math.max(
  ...sources.map((source) =>
    statSync(source).isDirectory() ? newestSource(source) : statSync(source).mtimeMs,
  ),
);
if (!existsSync(built) || statSync(built).mtimeMs < sourceTime) {
  process.stdout.write('Building the web app (once; about 15 s)...\n');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
}
