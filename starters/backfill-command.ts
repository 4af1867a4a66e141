import type { Client } from '@temporalio/client';
import cliProgress from 'cli-progress';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { createObjectStore } from '../core/store/index.js';
import { withTemporalClient } from '../core/temporal-connection.js';
import {
  backfill,
  BackfillPrefixError,
  formatBackfillSummary,
  type BackfillOutcome,
} from './backfill.js';

export interface BackfillCommandOptions {
  since?: Date;
  concurrency: number;
  json: boolean;
}

const barFormat = 'backfill {prefix} |{bar}| {value}/{total}, {started} started, {failed} failed';

/**
 * A bar on a terminal; otherwise a log line about every tenth of the way, so that a backfill
 * run from cron or CI still shows it is moving without a line per object.
 */
function backfillProgress(logger: Logger, prefix: string) {
  const bar = process.stderr.isTTY
    ? new cliProgress.SingleBar(
        {
          format: barFormat,
          hideCursor: true,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let total = 0;
  let done = 0;
  const counts = { started: 0, failed: 0 };
  return {
    onListed(count: number) {
      total = count;
      bar?.start(count, 0, { prefix, ...counts });
    },
    onKey(_key: string, outcome: BackfillOutcome) {
      done++;
      if (outcome === 'started') counts.started++;
      if (outcome === 'failed') counts.failed++;
      bar?.update(done, counts);
      const step = Math.max(1, Math.ceil(total / 10));
      if (!bar && (done % step === 0 || done === total)) {
        logger.info({ prefix, done, total, ...counts }, `backfill ${done}/${total}`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/** `backfill <prefix>`: talks to TEMPORAL_ADDRESS, or the embedded server of a serving product. */
export async function backfillCommand(
  prefix: string,
  options: BackfillCommandOptions,
  config: Config,
  logger: Logger,
): Promise<number> {
  const progress = backfillProgress(logger, prefix);
  try {
    return await withTemporalClient(config.temporal, ({ client }) =>
      runBackfill(prefix, options, { client, config, logger, progress }),
    );
  } catch (err) {
    progress.stop();
    if (err instanceof BackfillPrefixError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

async function runBackfill(
  prefix: string,
  options: BackfillCommandOptions,
  ctx: {
    client: Client;
    config: Config;
    logger: Logger;
    progress: ReturnType<typeof backfillProgress>;
  },
): Promise<number> {
  const { client, config, logger, progress } = ctx;
  const store = createObjectStore(config.store);
  const summary = await backfill(prefix, options, {
    client,
    store,
    config,
    logger,
    onListed: progress.onListed,
    onKey: progress.onKey,
  });
  progress.stop();
  process.stdout.write(
    options.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatBackfillSummary(summary)}\n`,
  );
  return summary.failed.length > 0 ? 1 : 0;
}
