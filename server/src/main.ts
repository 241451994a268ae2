import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './platform/logger.ts';
import { startHom } from './server.ts';

const bootLog = createLogger('info');
let demo = false;
try {
  // `npm start -- --demo` is the same switch as HOM_DEMO=true (docs/demo.md).
  demo = parseArgs({ options: { demo: { type: 'boolean', default: false } } }).values.demo;
} catch (error) {
  bootLog.fatal(`${(error as Error).message}. The only option is --demo (see docs/demo.md)`);
  process.exit(64); // EX_USAGE
}
let config;
try {
  config = loadConfig();
  if (demo) config.demo = true;
} catch (error) {
  if (error instanceof ConfigError) {
    bootLog.fatal({ problems: error.problems }, error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}
const log = createLogger(config.logLevel);

try {
  const hom = await startHom(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping: draining requests');
    const deadline = setTimeout(() => {
      log.error('did not stop in time; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 1000);
    deadline.unref();
    hom.close().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  log.fatal({ err: error }, (error as Error).message);
  process.exit(1);
}
