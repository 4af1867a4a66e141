import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.js';
import type { ActivityTaskQueues } from '../core/config.js';

/** Bad input never gets better by retrying; everything else (I/O, a model backend) may. */
export const nonRetryableErrorTypes = [
  'InvalidInputFile',
  'InputTooLarge',
  'InvalidModelOutput',
  'InvalidSplunkExport',
];

export const dataActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes,
  },
};

export const modelActivityOptions: ActivityOptions = {
  ...dataActivityOptions,
  startToCloseTimeout: '2 hours',
};

/**
 * The activities of one workflow execution, routed to the queues named in its input: I/O-bound
 * steps to the I/O workers, `runModel` to the model workers. Without queues (runs started
 * before the split, and their saved histories) everything stays on the workflow's own queue.
 */
export function pipelineActivities(taskQueues: ActivityTaskQueues | undefined) {
  const acts = proxyActivities<PipelineActivities>({
    ...dataActivityOptions,
    taskQueue: taskQueues?.io,
  });
  const { runModel } = proxyActivities<PipelineActivities>({
    ...modelActivityOptions,
    taskQueue: taskQueues?.model,
  });
  return { acts, runModel };
}
