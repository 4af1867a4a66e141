import os from 'node:os';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import type { Config } from '../core/config.js';
import { keepAliveHeartbeats } from './activity-heartbeat.js';

/**
 * What a worker process polls for. Workflow tasks are light; I/O-bound activities scale with the
 * store; model activities are CPU- or job-bound and get their own, lower, concurrency.
 */
export const workerRoles = ['workflows', 'io', 'models'] as const;
export type WorkerRole = (typeof workerRoles)[number];

export function roleTaskQueue(role: WorkerRole, temporal: Config['temporal']): string {
  if (role === 'workflows') return temporal.taskQueue;
  return role === 'io' ? temporal.ioTaskQueue : temporal.modelTaskQueue;
}

type Activities = Record<string, (...args: never[]) => Promise<unknown>>;

export interface PipelineWorkerOptions {
  connection: NativeConnection;
  deps: ActivityDeps;
  workflowBundle: { code: string };
  /** Default: every role, one worker each, in this process. */
  roles?: readonly WorkerRole[];
  /** Lets tests wrap activities, e.g. to make one fail a few times. */
  activities?: Activities;
}

function split(activities: Activities): { io: Activities; models: Activities } {
  const { runModel, ...io } = activities;
  return { io, models: runModel ? { runModel } : {} };
}

/** One worker for one role, on that role's task queue with that role's concurrency. */
export async function createRoleWorker(
  role: WorkerRole,
  options: PipelineWorkerOptions,
): Promise<Worker> {
  const { temporal } = options.deps.config;
  const activities = options.activities ?? createActivities(options.deps);
  const common = {
    connection: options.connection,
    namespace: temporal.namespace,
    identity: `${process.pid}@${os.hostname()}/${role}`,
    taskQueue: roleTaskQueue(role, temporal),
    // SIGTERM stops polling at once; activities already running get this long to finish.
    shutdownGraceTime: temporal.shutdownGraceSeconds * 1000,
    interceptors: { activity: [keepAliveHeartbeats] },
  };
  switch (role) {
    case 'workflows':
      return Worker.create({
        ...common,
        workflowBundle: options.workflowBundle,
        maxCachedWorkflows: temporal.maxCachedWorkflows,
        // Runs started before the queues were split schedule their activities here.
        activities,
        maxConcurrentActivityTaskExecutions: temporal.maxConcurrentActivities,
      });
    case 'io':
      return Worker.create({
        ...common,
        activities: split(activities).io,
        maxConcurrentActivityTaskExecutions: temporal.maxConcurrentActivities,
      });
    case 'models':
      return Worker.create({
        ...common,
        activities: split(activities).models,
        maxConcurrentActivityTaskExecutions: temporal.maxConcurrentModelActivities,
      });
  }
}

/** The workers of the requested roles (all of them by default). */
export async function createPipelineWorkers(options: PipelineWorkerOptions): Promise<Worker[]> {
  const roles = options.roles ?? workerRoles;
  const activities = options.activities ?? createActivities(options.deps);
  const workers: Worker[] = [];
  for (const role of roles) workers.push(await createRoleWorker(role, { ...options, activities }));
  return workers;
}

/**
 * Runs the workers until every one has stopped (SIGTERM, SIGINT, or `shutdown()`). When one
 * fails, the others are shut down gracefully rather than left polling for a half-working process.
 */
export async function runWorkers(workers: Worker[]): Promise<void> {
  const runs = workers.map((worker) =>
    worker.run().catch((err: unknown) => {
      for (const other of workers) if (other.getState() === 'RUNNING') other.shutdown();
      throw err;
    }),
  );
  const failed = (await Promise.allSettled(runs)).find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Runs the workers while `fn` runs, then shuts them all down; for tests and one-shot commands. */
export async function runWorkersUntil<T>(workers: Worker[], fn: Promise<T>): Promise<T> {
  return workers.reduce<Promise<T>>((inner, worker) => worker.runUntil(inner), fn);
}
