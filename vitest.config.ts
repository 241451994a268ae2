import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// One graphql instance: Mercurius loads the CommonJS build, so tests must not get the ESM one
// through Vite's resolver ("Cannot use GraphQLNonNull from another module or realm").
const graphqlCjs = createRequire(import.meta.url).resolve('graphql');
const resolve = { alias: [{ find: /^graphql$/, replacement: graphqlCjs }] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'server',
          include: ['server/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          pool: 'forks',
          // Three files at a time on two cores: many suites mostly wait (on PostgreSQL, brokers,
          // restarted child processes, timers), and Vitest's default here is one (cores − 1).
          maxWorkers: 3,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['server/test/global-setup.ts'],
          pool: 'forks',
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
