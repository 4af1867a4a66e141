import { WorkflowFailedError } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { prefixes } from '../core/keys.js';
import { startUiIfConfigured } from './campaign-ui.js';
import { openHost, type Host } from './host.js';
import { resolveInputs, type InputSource } from './input-files.js';
import { showProgress } from './progress-display.js';
import { awaitRun, startRun, workflowUiUrl, type StartedRun } from './start-run.js';
import { formatSummary, type RunSummary } from './summary.js';
import { watchStore } from './watcher.js';

export interface RunOptions {
  serve: boolean;
  json: boolean;
  source: InputSource;
}

/** The deepest message of a failure chain: the one that names the file, record and field. */
export function rootMessage(err: unknown): string {
  let current = err as { message?: string; cause?: unknown } | undefined;
  let message = String(current?.message ?? err);
  while (current?.cause) {
    current = current.cause as { message?: string; cause?: unknown };
    if (current?.message) message = current.message;
  }
  return message;
}

async function summarise(host: Host, started: StartedRun): Promise<RunSummary> {
  const summary: RunSummary = {
    workflowId: started.workflowId,
    inputKey: started.inputKey,
    reused: !started.started,
  };
  let shownId = started.workflowId;
  try {
    const outcome = await awaitRun(host.client, started);
    summary.result = outcome.ingest;
    summary.splunk = outcome.splunk;
    shownId = outcome.ingestWorkflowId;
  } catch (err) {
    summary.error = err instanceof WorkflowFailedError ? rootMessage(err) : (err as Error).message;
  }
  if (host.uiUrl) {
    const { runId } = await host.client.workflow.getHandle(shownId).describe();
    summary.webUi = workflowUiUrl(host.uiUrl, host.config.temporal.namespace, shownId, runId);
  }
  return summary;
}

/**
 * The main job: runs files (or a folder) through the pipeline on the configured backends, prints
 * a summary per run and, with `serve`, keeps the worker, the Web UI and a watcher on `input/`.
 */
export async function runCommand(
  targets: string[],
  options: RunOptions,
  config: Config,
  logger: Logger,
) {
  const host = await openHost(config, logger, { worker: true });
  let failed = false;
  try {
    const keys = await resolveInputs(host.deps.store, targets, options.source);
    const runs = await Promise.all(
      keys.map((key) => startRun(host.client, host.deps.store, config, key)),
    );
    const display = showProgress(runs, logger);
    const summaries = await Promise.all(runs.map((r) => summarise(host, r))).finally(() =>
      display.stop(),
    );
    for (const s of summaries) s.serving = options.serve;
    failed = summaries.some((s) => s.error);
    if (options.json) process.stdout.write(`${JSON.stringify(summaries, null, 2)}\n`);
    else for (const s of summaries) process.stdout.write(`${formatSummary(s, host.deps.store)}\n`);

    if (options.serve) await serveUntilSignal(host, logger);
  } finally {
    await host.close();
  }
  return failed ? 1 : 0;
}

/**
 * Keeps serving: new objects under `input/` start runs, and the campaign UI (with UI_TOKEN)
 * answers, until SIGINT or SIGTERM.
 */
export async function serveUntilSignal(host: Host, logger: Logger): Promise<void> {
  const ui = await startUiIfConfigured(host, logger);
  const watcher = watchStore({
    store: host.deps.store,
    prefixes: [prefixes.input, prefixes.splunkInput],
    intervalMs: 2000,
    logger,
    onObject: async (key) => {
      const started = await startRun(host.client, host.deps.store, host.config, key);
      const message = started.started ? 'run started for a new object' : 'object already ran';
      logger.info({ key, workflowId: started.workflowId }, message);
    },
  });
  process.stdout.write(
    `serving: watching ${host.deps.store.describe(prefixes.input)} and ` +
      `${host.deps.store.describe(prefixes.splunkInput)}; Web UI ${host.uiUrl ?? '(external)'}; ` +
      `campaign UI ${ui?.url ?? 'off (set UI_TOKEN)'}; Ctrl-C stops\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await watcher.stop();
  await ui?.close();
}
