import cliProgress from 'cli-progress';
import type { Logger } from '../core/logger.js';
import { progressQuery, type IngestProgress } from '../workflows/index.js';
import type { StartedRun } from './start-run.js';

/**
 * Shows the runs' progress while they work: bars on a terminal, a log line per stage change
 * otherwise. Progress comes from each workflow's `progress` query.
 */
export function showProgress(runs: StartedRun[], logger: Logger): { stop(): Promise<void> } {
  const tty = Boolean(process.stderr.isTTY);
  const multi = tty
    ? new cliProgress.MultiBar(
        {
          format: '{run} |{bar}| {stage} · batches {value}/{total} · clusters {clusters}',
          hideCursor: true,
          clearOnComplete: false,
          stream: process.stderr,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  const bars = new Map(
    runs.map((r) => [
      r.workflowId,
      multi?.create(1, 0, { run: r.run, stage: 'starting', clusters: 0 }),
    ]),
  );
  const lastStage = new Map<string, string>();
  // One query per run at a time; `stop` waits for them, because a query the client is still
  // retrying would otherwise fire on a connection closed under it and crash the process.
  const inFlight = new Map<string, Promise<void>>();
  const timer = setInterval(() => {
    for (const r of runs) {
      if (r.kind !== 'ingest' || inFlight.has(r.workflowId)) continue;
      const query = r.handle
        .query(progressQuery)
        .then((p: IngestProgress) => {
          bars.get(r.workflowId)?.setTotal(Math.max(1, p.clusterBatches.total));
          bars
            .get(r.workflowId)
            ?.update(p.clusterBatches.done, { stage: p.stage, clusters: p.clusters });
          if (!tty && lastStage.get(r.workflowId) !== p.stage) {
            lastStage.set(r.workflowId, p.stage);
            logger.info(
              { run: r.run, stage: p.stage, alerts: p.alerts, batches: p.clusterBatches },
              'run progress',
            );
          }
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(r.workflowId));
      inFlight.set(r.workflowId, query);
    }
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight.values());
      multi?.stop();
    },
  };
}
