import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { appUrlFrom, createDatabase } from './platform/db/database.ts';
import { embeddedSecret, startEmbeddedPostgres } from './platform/db/embedded.ts';
import { migrate } from './platform/db/migrate.ts';
import { createLogger } from './platform/logger.ts';
import { parseInput } from './platform/validation.ts';
import { createAccountService, createUserService } from './modules/identity/cli.ts';
import { isAppError } from './platform/errors.ts';

const USAGE = `Usage: npm run hom -- admin create [--username NAME] [--password-stdin] [--full-name TEXT] [--email ADDRESS]

Creates an administrator. Without flags it asks for each value. With --password-stdin the password is
read from standard input (for scripts); it is never accepted as a command-line argument, which other
users of the machine could read.`;

const adminInput = z.object({
  username: z.string().trim().min(2),
  password: z.string().min(12, 'at least 12 characters'),
  full_name: z.string().trim().optional(),
  email: z.email().optional(),
});

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      'full-name': { type: 'string' },
      email: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.join(' ') !== 'admin create') {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 64;
  }

  const config = loadConfig();
  const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
  const ask = createInterface({
    input: process.stdin,
    output: process.stdout,
    terminal: process.stdin.isTTY,
  });
  const username = values.username ?? (await ask.question('Username: '));
  const password = values['password-stdin']
    ? await readAll(ask)
    : await askHidden(ask, 'Password (12+ characters): ');
  const fullName =
    values['full-name'] ??
    (values.username ? undefined : (await ask.question('Full name (optional): ')) || undefined);
  ask.close();
  const input = parseInput(adminInput, { username, password, full_name: fullName, email: values.email });

  const embedded = config.databaseUrl
    ? undefined
    : await startEmbeddedPostgres(config.dataDir, log, { attach: true });
  const ownerUrl = config.databaseUrl ?? embedded!.url;
  try {
    const secret = config.secret ?? (config.databaseUrl ? undefined : await embeddedSecret(config.dataDir));
    await migrate({ ownerUrl, secret, log });
    const db = createDatabase(
      config.databaseAppUrl ?? (secret ? appUrlFrom(ownerUrl, secret) : ownerUrl),
      2,
      log,
    );
    try {
      const accounts = createAccountService({ db, users: createUserService({ db }) });
      const created = await accounts.createAdmin(input, { onlyIfNone: false, log });
      process.stdout.write(`Admin "${created?.username}" created. Sign in at /app/login.\n`);
    } finally {
      await db.close();
    }
  } finally {
    await embedded?.stop();
  }
  return 0;
}

async function askHidden(ask: ReturnType<typeof createInterface>, prompt: string): Promise<string> {
  if (!process.stdin.isTTY) return ask.question(prompt);
  const output = process.stdout as NodeJS.WriteStream & { muted?: boolean };
  const write = output.write.bind(output);
  process.stdout.write(prompt);
  output.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
    chunk === '\n' || chunk === '\r\n' ? write(chunk, ...rest) : true) as typeof output.write;
  try {
    return await ask.question('');
  } finally {
    output.write = write;
    process.stdout.write('\n');
  }
}

async function readAll(ask: ReturnType<typeof createInterface>): Promise<string> {
  const lines: string[] = [];
  for await (const line of ask) lines.push(line);
  return lines.join('\n').replace(/\n+$/, '');
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
    else if (isAppError(error))
      process.stderr.write(
        `${error.message}\n${(error.errors ?? []).map((e) => `  - ${e.field}: ${e.message}\n`).join('')}`,
      );
    else process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  },
);
