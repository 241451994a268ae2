import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { z } from 'zod';
import type { S3StoreConfig } from './platform/storage/s3-file-store.ts';
import type { MqttIngestConfig } from './modules/telemetry/mqtt/mqtt.ingest.ts';
import { topicPatternProblem, type TopicKind } from './modules/telemetry/mqtt/topics.ts';

/** Every process role a HOM process can run; see docs/architecture.md. */
export const PROCESS_ROLES = ['api', 'ingest', 'worker'] as const;
export type ProcessRole = (typeof PROCESS_ROLES)[number];

const optionalString = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

/** An MQTT topic pattern of `kind` (docs/mqtt.md); `off` turns the kind off where `optional`. */
const topicPattern = (kind: TopicKind, fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((value) => (value === '' ? fallback : value))
    .superRefine((value, ctx) => {
      const problem = value === 'off' ? null : topicPatternProblem(value, kind);
      if (problem) ctx.addIssue({ code: 'custom', message: `"${value}": ${problem}` });
    })
    .transform((value) => (value === 'off' ? null : value));

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HOM_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_APP_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  HOM_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  HOM_ROLES: z
    .string()
    .default('api,ingest,worker')
    .transform((value) => value.split(',').map((role) => role.trim()))
    .pipe(z.array(z.enum(PROCESS_ROLES)).min(1)),
  HOM_ADMIN_USERNAME: optionalString,
  HOM_ADMIN_PASSWORD: optionalString,
  HOM_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  HOM_REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  HOM_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1_048_576),
  HOM_TRUST_PROXY: booleanFlag.default(false),
  HOM_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(9_000),
  HOM_WEB_DIST: z.string().min(1).default('web/dist'),
  HOM_FILES_DIR: optionalString,
  HOM_DEMO: booleanFlag.default(false),
  AMQP_URL: optionalString.pipe(z.url({ protocol: /^amqps?$/ }).optional()),
  HOM_INGEST_PREFETCH: z.coerce.number().int().min(1).max(10_000).default(64),
  MQTT_URL: optionalString.pipe(z.url({ protocol: /^mqtts?$/ }).optional()),
  MQTT_CLIENT_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, '1–64 letters, digits or _ . : -')
    .default('hom-ingest'),
  MQTT_USERNAME: optionalString,
  MQTT_PASSWORD: optionalString,
  MQTT_TOPICS: z
    .string()
    .default('plant/{site}/{machine}/{sensor}')
    .transform((value) =>
      value
        .split(',')
        .map((pattern) => pattern.trim())
        .filter(Boolean),
    )
    .superRefine((patterns, ctx) => {
      for (const pattern of patterns) {
        const problem = topicPatternProblem(pattern, 'reading');
        if (problem) ctx.addIssue({ code: 'custom', message: `"${pattern}": ${problem}` });
      }
    }),
  MQTT_RESULTS_TOPIC: topicPattern('results', 'plant/{site}/{machine}/results'),
  MQTT_STATE_TOPIC: topicPattern('state', 'plant/{site}/{machine}/state'),
  MQTT_COUNTER_TOPIC: topicPattern('counter', 'plant/{site}/{machine}/counter/{kind}'),
  MQTT_QOS: z
    .enum(['0', '1'], { error: '0 or 1' })
    .default('1')
    .transform((value) => (value === '0' ? 0 : 1)),
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  SMTP_FROM: optionalString,
  S3_ENDPOINT: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  S3_BUCKET: optionalString.pipe(
    z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'an S3 bucket name (3–63 lower-case letters, digits, . or -)',
      )
      .optional(),
  ),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_FORCE_PATH_STYLE: booleanFlag.default(true),
});
export type Env = z.output<typeof envSchema>;

/** Every variable HOM reads; .env.example documents each (config.test.ts checks). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape);

/** Rules across variables; checked on the raw values so they are listed even when others fail. */
const crossChecks = z
  .object({
    NODE_ENV: z.string().optional(),
    DATABASE_URL: optionalString,
    HOM_SECRET: optionalString,
    HOM_ADMIN_USERNAME: optionalString,
    HOM_ADMIN_PASSWORD: optionalString,
    SMTP_URL: optionalString,
    SMTP_FROM: optionalString,
    S3_ENDPOINT: optionalString,
    S3_BUCKET: optionalString,
    S3_ACCESS_KEY_ID: optionalString,
    S3_SECRET_ACCESS_KEY: optionalString,
  })
  .superRefine((env, ctx) => {
    const s3 = ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;
    const s3Missing = s3.filter((name) => !env[name]);
    if (s3Missing.length > 0 && s3Missing.length < s3.length) {
      ctx.addIssue({
        code: 'custom',
        path: [s3Missing[0]!],
        message: `S3 storage needs ${s3.join(', ')} together (missing: ${s3Missing.join(', ')}); unset them all for the local folder`,
      });
    }
    if (env.SMTP_URL && !env.SMTP_FROM) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required when SMTP_URL is set' });
    }
    if (Boolean(env.HOM_ADMIN_USERNAME) !== Boolean(env.HOM_ADMIN_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOM_ADMIN_PASSWORD'],
        message: 'HOM_ADMIN_USERNAME and HOM_ADMIN_PASSWORD must be set together',
      });
    }
    if (env.HOM_ADMIN_PASSWORD !== undefined && env.HOM_ADMIN_PASSWORD.length < 12) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOM_ADMIN_PASSWORD'],
        message: 'must be at least 12 characters',
      });
    }
    if (env.NODE_ENV === 'production' && env.DATABASE_URL && !env.HOM_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['HOM_SECRET'],
        message: 'is required in production with an external DATABASE_URL (all processes must share it)',
      });
    }
  });

export interface Config {
  env: Env['NODE_ENV'];
  production: boolean;
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  dataDir: string;
  databaseUrl: string | undefined;
  databaseAppUrl: string | undefined;
  databasePoolSize: number;
  secret: string | undefined;
  roles: ProcessRole[];
  bootstrapAdmin: { username: string; password: string } | undefined;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  bodyLimitBytes: number;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  webDist: string;
  /** Attachments and photos (local storage); default `<HOM_DATA_DIR>/files`. */
  filesDir: string;
  /** Fill a demo plant on first start (HOM_DEMO or `npm start -- --demo`); see docs/demo.md. */
  demo: boolean;
  /** RabbitMQ for the ingest pipeline and live fan-out; in-process when unset (docs/ingest.md). */
  amqpUrl: string | undefined;
  /** Unacknowledged messages a worker holds at once. */
  ingestPrefetch: number;
  /** MQTT ingest (processes with the `ingest` role) when MQTT_URL is set (docs/mqtt.md). */
  mqtt: MqttIngestConfig | undefined;
  /** Outgoing e-mail (smtp://user:pass@host:587); unset: mail stays queued in the outbox (docs/mail.md). */
  smtpUrl: string | undefined;
  /** The From address of HOM's e-mail, e.g. "HOM <hom@plant.example>". */
  smtpFrom: string | undefined;
  /** Attachments in an S3-compatible bucket (MinIO) instead of filesDir when S3_BUCKET is set (docs/files.md). */
  s3: S3StoreConfig | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.problems = problems;
  }
}

/** Parses the environment (and `.env`, which never overrides real variables) once, listing every problem. */
export function loadConfig(source: NodeJS.ProcessEnv = readProcessEnv()): Config {
  const parsed = envSchema.safeParse(source);
  const crossed = crossChecks.safeParse(source);
  const issues = [...(parsed.error?.issues ?? []), ...(crossed.error?.issues ?? [])];
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    production: env.NODE_ENV === 'production',
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    dataDir: path.resolve(env.HOM_DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databaseAppUrl: env.DATABASE_APP_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    secret: env.HOM_SECRET,
    roles: [...new Set(env.HOM_ROLES)],
    bootstrapAdmin:
      env.HOM_ADMIN_USERNAME && env.HOM_ADMIN_PASSWORD
        ? { username: env.HOM_ADMIN_USERNAME, password: env.HOM_ADMIN_PASSWORD }
        : undefined,
    accessTokenTtlSeconds: env.HOM_ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: env.HOM_REFRESH_TOKEN_TTL_DAYS,
    bodyLimitBytes: env.HOM_BODY_LIMIT_BYTES,
    trustProxy: env.HOM_TRUST_PROXY,
    shutdownTimeoutMs: env.HOM_SHUTDOWN_TIMEOUT_MS,
    webDist: path.resolve(env.HOM_WEB_DIST),
    filesDir: path.resolve(env.HOM_FILES_DIR ?? path.join(env.HOM_DATA_DIR, 'files')),
    demo: env.HOM_DEMO,
    amqpUrl: env.AMQP_URL,
    ingestPrefetch: env.HOM_INGEST_PREFETCH,
    mqtt: env.MQTT_URL
      ? {
          url: env.MQTT_URL,
          clientId: env.MQTT_CLIENT_ID,
          username: env.MQTT_USERNAME,
          password: env.MQTT_PASSWORD,
          qos: env.MQTT_QOS,
          topics: {
            readings: env.MQTT_TOPICS,
            results: env.MQTT_RESULTS_TOPIC,
            state: env.MQTT_STATE_TOPIC,
            counter: env.MQTT_COUNTER_TOPIC,
          },
        }
      : undefined,
    smtpUrl: env.SMTP_URL,
    smtpFrom: env.SMTP_FROM,
    s3: env.S3_BUCKET
      ? {
          endpoint: env.S3_ENDPOINT,
          bucket: env.S3_BUCKET,
          region: env.S3_REGION,
          accessKeyId: env.S3_ACCESS_KEY_ID,
          secretAccessKey: env.S3_SECRET_ACCESS_KEY,
          forcePathStyle: env.S3_FORCE_PATH_STYLE,
        }
      : undefined,
  };
}

function readProcessEnv(): NodeJS.ProcessEnv {
  loadDotenv({ quiet: true });
  return process.env;
}
