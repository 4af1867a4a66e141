import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { installRuntime } from '../../workers/runtime.js';

/**
 * A logger that keeps every line in memory, installed as the Temporal runtime's logger before
 * the test environment starts, so that workflow, activity and worker logs all land in `lines`.
 */
export function captureLogs(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  installRuntime(logger);
  return { logger, lines };
}
