import { Context, log } from '@temporalio/activity';
import type { ModelJob } from '../models/runner.js';
import type { ActivityDeps } from './deps.js';

/** Runs one model job (technique, cluster or flow) on the configured backend. */
export function makeRunModel({ models }: ActivityDeps) {
  return async function runModel(job: ModelJob): Promise<string> {
    const started = Date.now();
    const context = Context.current();
    const outputKey = await models.run(job, {
      signal: context.cancellationSignal,
      heartbeat: (details) => context.heartbeat(details),
      resumeFrom: context.info.heartbeatDetails,
    });
    log.info('model job finished', {
      model: job.model,
      job: job.jobName,
      backend: models.backend,
      inputKey: job.inputKey,
      outputKey,
      ms: Date.now() - started,
    });
    return outputKey;
  };
}
