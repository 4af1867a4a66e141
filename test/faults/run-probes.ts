import type { Client, WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { runKeys } from '../../core/keys.js';
import type { ObjectStore } from '../../core/store/index.js';
import { SeededRandom } from '../../bench/generator/random.js';
import { startIngest } from '../../starters/start-run.js';
import type { IngestResult } from '../../workflows/index.js';
import { waitFor } from '../workers/worker-process.js';
import {
  putInput,
  scenarioConfig,
  scenarioSettings,
  scenarioStore,
  WorkerFleet,
  type FaultEnv,
} from './fault-env.js';

/** The user-facing outputs of a run with its own name taken out, so two runs compare. */
export async function runOutputs(store: ObjectStore, run: string): Promise<string[]> {
  const keys = runKeys(run);
  return Promise.all(
    [keys.eventOut, keys.clusterOut, keys.flowOut].map(async (key) =>
      (await store.get(key)).toString('utf8').replaceAll(run, '<run>'),
    ),
  );
}

/**
 * How far a run has got, counted in the objects it has written to scratch (chunks, model inputs
 * and answers, batches); the per-cluster alert files at the very end are left out.
 */
export async function progressObjects(store: ObjectStore, run: string): Promise<number> {
  const keys = await store.list(`${runKeys(run).scratch}/`);
  return keys.filter((k) => !k.includes('/cluster_alerts/')).length;
}

/**
 * Waits for a workflow to close even while its server is down or restarting: the client's
 * long poll would fail with the server, so this asks again until the server answers.
 */
export async function resultSurvivingRestarts<T>(
  handle: WorkflowHandle,
  timeoutMs = 600_000,
): Promise<T> {
  await waitFor(
    `${handle.workflowId} to close`,
    async () => {
      try {
        const { status } = await handle.describe();
        return status.name === 'RUNNING' ? undefined : true;
      } catch {
        return undefined;
      }
    },
    timeoutMs,
    250,
  );
  return (await handle.result()) as T;
}

export interface UndisturbedRun {
  result: IngestResult;
  store: ObjectStore;
  /** Scratch objects the run wrote: the scale that kill points are chosen on. */
  progressTotal: number;
}

/** The same input through the pipeline with nothing going wrong: what every fault run must match. */
export async function undisturbedRun(env: FaultEnv, input: unknown): Promise<UndisturbedRun> {
  const settings = scenarioSettings(env);
  const config = scenarioConfig(settings);
  const store = scenarioStore(config);
  await putInput(store, 'input/undisturbed.json', input);
  const fleet = new WorkerFleet(settings);
  fleet.start();
  try {
    const started = await startIngest(env.client, store, config, 'input/undisturbed.json');
    const result = await started.handle.result();
    return { result, store, progressTotal: await progressObjects(store, result.run) };
  } finally {
    await fleet.stopAll();
  }
}

/** Seeded points between a tenth and most of a run, in scratch objects written. */
export function seededPoints(seed: number, count: number, total: number): number[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () =>
    random.int(Math.ceil(total * 0.1), Math.floor(total * 0.85)),
  ).sort((a, b) => a - b);
}

export async function waitForProgress(store: ObjectStore, run: string, point: number) {
  // Long enough for a lost activity's heartbeat timeout and its retry.
  await waitFor(
    `${point} scratch objects of ${run}`,
    async () => ((await progressObjects(store, run)) >= point ? true : undefined),
    300_000,
    50,
  );
}

/** The attempts and last failures of the activities now pending in these workflows. */
export async function pendingFailures(
  client: Client,
  workflowIds: string[],
): Promise<{ activity: string; attempt: number; failure?: string }[]> {
  const pending = [];
  for (const id of workflowIds) {
    try {
      const { raw } = await client.workflow.getHandle(id).describe();
      for (const a of raw.pendingActivities ?? []) {
        pending.push({
          activity: a.activityType?.name ?? '',
          attempt: a.attempt ?? 1,
          failure: a.lastFailure?.message ?? undefined,
        });
      }
    } catch {
      // A child workflow that has not started yet has nothing pending.
    }
  }
  return pending;
}

export interface ActivityInHand {
  workflowId: string;
  activityId: string;
  type: string;
}

/** Waits until a worker process has an activity of these workflows in hand. */
export async function activityInHand(
  client: Client,
  workflowIds: string[],
  pid: number,
): Promise<ActivityInHand> {
  return waitFor(
    `an activity running on worker ${pid}`,
    async () => {
      for (const workflowId of workflowIds) {
        const found = (await pendingOf(client, workflowId)).find((a) =>
          a.lastWorkerIdentity?.startsWith(`${pid}@`),
        );
        if (found) {
          return { workflowId, activityId: found.activityId!, type: found.activityType!.name! };
        }
      }
      return undefined;
    },
    120_000,
    10,
  );
}

/** True when the activity is still pending on the killed worker: its attempt was lost. */
export async function stillOnWorker(
  client: Client,
  activity: ActivityInHand,
  pid: number,
): Promise<boolean> {
  return (await pendingOf(client, activity.workflowId)).some(
    (a) => a.activityId === activity.activityId && a.lastWorkerIdentity?.startsWith(`${pid}@`),
  );
}

interface PendingActivity {
  activityId?: string | null;
  lastWorkerIdentity?: string | null;
  activityType?: { name?: string | null } | null;
}

async function pendingOf(client: Client, workflowId: string): Promise<PendingActivity[]> {
  try {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    return raw.pendingActivities ?? [];
  } catch {
    return [];
  }
}

/** The types of the activities that completed on a later attempt than their first. */
export function retriedActivities(histories: temporal.api.history.v1.IHistory[]): string[] {
  const retried: string[] = [];
  for (const history of histories) {
    const events = history.events ?? [];
    const types = new Map<string, string>();
    for (const e of events) {
      const scheduled = e.activityTaskScheduledEventAttributes;
      if (scheduled) types.set(String(e.eventId), scheduled.activityType?.name ?? '');
      const started = e.activityTaskStartedEventAttributes;
      if (started && (started.attempt ?? 1) > 1) {
        retried.push(types.get(String(started.scheduledEventId)) ?? '');
      }
    }
  }
  return retried;
}
