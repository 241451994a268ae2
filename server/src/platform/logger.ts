import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'hom' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-api-key"]',
        'req.headers.cookie',
        '*.password',
        '*.refresh_token',
        '*.access_token',
      ],
      censor: '[redacted]',
    },
  };
}

export function createLogger(level: string): Logger {
  return pino(loggerOptions(level));
}
