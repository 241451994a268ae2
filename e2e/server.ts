import { existsSync } from 'node:fs';
import path from 'node:path';
import { ADMIN } from '../server/test/constants.ts';
import { createHarness, type Harness } from '../server/test/harness.ts';

export interface RunningServer {
  url: string;
  admin: { username: string; password: string };
  harness: Harness;
  close(): Promise<void>;
}

/**
 * A real HOM (fresh database from the migrated template) listening on a free loopback port and
 * serving the built web app. `npm test` builds web/dist before the suites run.
 */
export async function startServer(): Promise<RunningServer> {
  if (!existsSync(path.resolve('web/dist/index.html'))) {
    throw new Error('web/dist is missing: run `npm run build` first (npm test does)');
  }
  const harness = await createHarness();
  const url = await harness.app.listen({ host: '127.0.0.1', port: 0 });
  return { url, admin: { ...ADMIN }, harness, close: () => harness.close() };
}
