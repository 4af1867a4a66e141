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

/**
 * Workers heartbeat every running activity (workers/activity-heartbeat.ts), so a worker that dies
 * mid-activity is noticed after `heartbeatTimeout` and the activity retried elsewhere, not after
 * the whole start-to-close timeout. It must stay above the longest stretch an activity keeps the
 * event loop busy (parsing a MAX_INPUT_BYTES file takes a few seconds).
 */
export const dataActivityOptions: ActivityOptions = {
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    nonRetryableErrorTypes,
  },
};

/**
 * A SageMaker transform job may wait for instances, and for other instance types after capacity
 * failures: hours in all. The heartbeat timeout finds a lost worker long before that: workers
 * beat for every running activity (repeating the SageMaker backend's latest poll details), so a
 * minute leaves room for a local model that keeps the event loop busy between beats.
 */
export const modelActivityOptions: ActivityOptions = {
  ...dataActivityOptions,
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '1 minute',
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
