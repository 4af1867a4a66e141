import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../core/logger.js';

let installed = false;

const levels: Record<string, LogLevel> = {
  trace: 'TRACE',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
};

/**
 * Routes the SDK's logs (workflow and activity `log` calls included) to the product's structured
 * logger. The Temporal runtime can be installed once per process.
 */
export function installRuntime(logger: Logger): void {
  if (installed) return;
  installed = true;
  Runtime.install({
    logger: new DefaultLogger(levels[logger.level] ?? 'INFO', (entry) => {
      const fields = { ...(entry.meta ?? {}) };
      switch (entry.level) {
        case 'TRACE':
          return logger.trace(fields, entry.message);
        case 'DEBUG':
          return logger.debug(fields, entry.message);
        case 'INFO':
          return logger.info(fields, entry.message);
        case 'WARN':
          // Activity-only workers are meant to have no workflows; that is not worth a warning.
          if (entry.message.startsWith('No workflows registered')) {
            return logger.debug(fields, entry.message);
          }
          return logger.warn(fields, entry.message);
        default:
          return logger.error(fields, entry.message);
      }
    }),
  });
}
