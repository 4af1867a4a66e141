import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { withTemporalClient } from '../core/temporal-connection.js';
import { loadPipelineWorkflows } from '../workers/bundle.js';
import { installRuntime } from '../workers/runtime.js';

export interface ReplayOptions {
  /** Only this run of the chain (default: every run, oldest first). */
  runId?: string;
  /** Also write each history here, as the saved-history replay tests read them. */
  save?: string;
}

interface ChainRun {
  runId: string;
  startTime: Date;
}

const quoted = (value: string): string => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/**
 * Every run of a workflow id: a run that continued as new leaves a closed run behind and a new
 * one under the same id. Visibility lags behind a run that has just started, so the latest run
 * is taken from `describe` as well.
 */
async function chainRuns(client: Client, workflowId: string): Promise<ChainRun[]> {
  const runs = new Map<string, ChainRun>();
  for await (const wf of client.workflow.list({ query: `WorkflowId = ${quoted(workflowId)}` })) {
    runs.set(wf.runId, { runId: wf.runId, startTime: wf.startTime });
  }
  const latest = await client.workflow.getHandle(workflowId).describe();
  runs.set(latest.runId, { runId: latest.runId, startTime: latest.startTime });
  return [...runs.values()].sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

/**
 * `replay <workflowId>`: downloads the history of each run of the workflow and replays it
 * against the workflow code this build would run. A determinism error means that deploying this
 * code would break the runs in flight that look like this one.
 */
export async function replayCommand(
  workflowId: string,
  options: ReplayOptions,
  config: Config,
  logger: Logger,
): Promise<number> {
  installRuntime(logger);
  return withTemporalClient(config.temporal, async ({ client }) => {
    let runs: ChainRun[];
    try {
      runs = options.runId
        ? [{ runId: options.runId, startTime: new Date(0) }]
        : await chainRuns(client, workflowId);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      process.stderr.write(`no workflow ${workflowId} in namespace ${config.temporal.namespace}\n`);
      return 1;
    }
    const bundle = await loadPipelineWorkflows();
    let failed = 0;
    for (const [index, { runId }] of runs.entries()) {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      const label = `${workflowId} run ${runId} (${index + 1}/${runs.length}, ${
        history.events?.length ?? 0
      } events)`;
      if (options.save) {
        const file = path.join(
          options.save,
          `${workflowId.replace(/[^\w.-]+/g, '_')}.${runId}.json`,
        );
        await mkdir(options.save, { recursive: true });
        const saved = { workflowId, history: JSON.parse(historyToJSON(history)) as unknown };
        await writeFile(file, `${JSON.stringify(saved)}\n`);
      }
      try {
        await Worker.runReplayHistory(
          { workflowBundle: bundle, replayName: `${workflowId}/${runId}` },
          history,
          workflowId,
        );
        process.stdout.write(`ok      ${label}\n`);
      } catch (err) {
        failed++;
        const error = err as Error;
        process.stdout.write(`FAILED  ${label}\n  ${error.name}: ${error.message}\n`);
        logger.warn({ workflowId, runId, err: error.message }, 'replay failed');
      }
    }
    return failed === 0 ? 0 : 1;
  });
}
