/**
 * `npm run dev`: the server (restarting on change, Node's --watch) and Vite's dev server with hot
 * reload on http://localhost:5173/app/, which proxies the API to the server on :3000.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const children = [
  spawn(process.execPath, ['--watch-path=server/src', 'server/src/main.ts'], { cwd: root, stdio: 'inherit' }),
  spawn(path.join(root, 'node_modules/.bin/vite'), ['--config', 'web/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  }),
];
const stop = () => {
  for (const child of children) child.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => (code ? stop() : undefined));
