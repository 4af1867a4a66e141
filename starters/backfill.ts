import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import { prefixes } from '../core/keys.js';
import type { Logger } from '../core/logger.js';
import type { ObjectStore } from '../core/store/index.js';
import { forEachBounded } from './bounded.js';
import { startRun, type StartedRun } from './start-run.js';

export interface BackfillOptions {
  /** Only objects written at or after this time. */
  since?: Date;
  concurrency: number;
}

export interface BackfillSummary {
  prefix: string;
  listed: number;
  started: number;
  alreadyRan: number;
  olderThanSince: number;
  failed: { key: string; error: string }[];
}

/** Told about every key as it is done, for a progress bar or log lines. */
export type BackfillOutcome = 'started' | 'already ran' | 'older' | 'failed';

export interface BackfillDeps {
  client: Client;
  store: ObjectStore;
  config: Config;
  logger: Logger;
  /** startRun unless a test wraps it. */
  start?: (key: string) => Promise<StartedRun>;
  onListed?: (count: number) => void;
  onKey?: (key: string, outcome: BackfillOutcome) => void;
}

const watched = [prefixes.input, prefixes.splunkInput];

export class BackfillPrefixError extends Error {
  constructor(prefix: string) {
    super(
      `backfill prefix ${JSON.stringify(prefix)} holds no inputs: it must lie under ` +
        `${watched.join(' or ')} (or be a parent of one, such as "splunk_input/")`,
    );
    this.name = 'BackfillPrefixError';
  }
}

/**
 * The keys under `prefix` that start runs. A parent prefix such as `splunk_input/` also holds
 * scratch objects, which are left out.
 */
export async function listInputs(store: ObjectStore, prefix: string): Promise<string[]> {
  const overlaps = watched.some((w) => prefix.startsWith(w) || w.startsWith(prefix));
  if (!overlaps) throw new BackfillPrefixError(prefix);
  const keys = await store.list(prefix);
  return keys.filter((key) => watched.some((w) => key.startsWith(w)));
}

async function isOlder(store: ObjectStore, key: string, since: Date): Promise<boolean> {
  const head = await store.head(key);
  if (!head) throw new Error('object disappeared after it was listed');
  if (!head.modified) throw new Error(`${store.location} gives no modification time for --since`);
  return head.modified.getTime() < since.getTime();
}

/**
 * Starts a run for every input under a prefix, at most `concurrency` starts in flight. Runs are
 * identified by key and content, so objects that already ran (or are running) start nothing
 * and a backfill can be repeated safely. One failed key does not stop the others.
 */
export async function backfill(
  prefix: string,
  options: BackfillOptions,
  deps: BackfillDeps,
): Promise<BackfillSummary> {
  const { store, logger } = deps;
  const start = deps.start ?? ((key: string) => startRun(deps.client, store, deps.config, key));
  const keys = await listInputs(store, prefix);
  deps.onListed?.(keys.length);
  logger.info(
    {
      prefix,
      objects: keys.length,
      since: options.since?.toISOString(),
      concurrency: options.concurrency,
    },
    'backfill listed its prefix',
  );
  const summary: BackfillSummary = {
    prefix,
    listed: keys.length,
    started: 0,
    alreadyRan: 0,
    olderThanSince: 0,
    failed: [],
  };
  await forEachBounded(keys, options.concurrency, async (key) => {
    let outcome: BackfillOutcome;
    try {
      if (options.since && (await isOlder(store, key, options.since))) {
        outcome = 'older';
        summary.olderThanSince++;
      } else {
        const run = await start(key);
        outcome = run.started ? 'started' : 'already ran';
        if (run.started) summary.started++;
        else summary.alreadyRan++;
        logger.debug({ key, workflowId: run.workflowId, outcome }, 'backfill object handled');
      }
    } catch (err) {
      outcome = 'failed';
      const error = (err as Error).message;
      summary.failed.push({ key, error });
      logger.error({ key, err: error }, 'backfill could not start a run');
    }
    deps.onKey?.(key, outcome);
  });
  summary.failed.sort((a, b) => a.key.localeCompare(b.key));
  logger.info(
    { ...summary, failed: summary.failed.length },
    `backfill of ${prefix}: ${summary.started} started, ${summary.alreadyRan} already ran, ` +
      `${summary.failed.length} failed`,
  );
  return summary;
}

export function formatBackfillSummary(s: BackfillSummary): string {
  const lines = [
    `backfill ${s.prefix}: ${s.listed} objects`,
    `  started       ${s.started}`,
    `  already ran   ${s.alreadyRan}`,
  ];
  if (s.olderThanSince > 0) lines.push(`  before since  ${s.olderThanSince}`);
  lines.push(`  failed        ${s.failed.length}`);
  for (const f of s.failed) lines.push(`    ${f.key}: ${f.error}`);
  return lines.join('\n');
}
