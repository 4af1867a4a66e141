import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  deps: ActivityDeps;
  workflowBundle: { code: string };
  taskQueue?: string;
  /** Lets tests wrap activities, e.g. to make one fail a few times. */
  activities?: Record<string, (...args: never[]) => Promise<unknown>>;
}

/** A worker for the pipeline's workflows and activities on one task queue. */
export async function createPipelineWorker(options: PipelineWorkerOptions): Promise<Worker> {
  const { temporal } = options.deps.config;
  return Worker.create({
    connection: options.connection,
    namespace: temporal.namespace,
    taskQueue: options.taskQueue ?? temporal.taskQueue,
    workflowBundle: options.workflowBundle,
    activities: options.activities ?? createActivities(options.deps),
    maxCachedWorkflows: temporal.maxCachedWorkflows,
    maxConcurrentActivityTaskExecutions: temporal.maxConcurrentActivities,
    shutdownGraceTime: '30 seconds',
  });
}
