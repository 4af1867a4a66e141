import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Structured JSON lines on stderr (stdout is kept for command output). Secret-bearing fields are
 * redacted wherever they appear.
 */
export function createLogger(level: string, name = 'alert-pipeline'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          '*.apiKey',
          '*.token',
          '*.password',
          '*.secretAccessKey',
          'apiKey',
          'token',
          'password',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
