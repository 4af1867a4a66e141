import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKeys } from '../../core/keys.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { makeInput } from '../helpers/alerts.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { ensureBuilt } from '../e2e/cli.js';
import { startWorkerProcess, waitFor, type WorkerProcess } from './worker-process.js';

let env: TemporalTestEnv;
beforeAll(async () => {
  ensureBuilt();
  env = await startTemporalTestEnv();
});
afterAll(async () => env?.stop());

// Enough alerts and small enough batches that the run spans a few dozen activities.
const alerts = makeInput(
  [0, 1, 2].map((g) => ({
    attacker: `10.${g}.0.1`,
    targets: [`10.${g}.1.5`, `10.${g}.1.6`, `10.${g}.1.7`],
    start: 1_700_000_000 + g * 40_000,
    alerts: 500,
    names: ['Brute Force attempt on ssh', 'ET SCAN Nmap scan', 'Remote Services: SMB'],
  })),
);
const tuning = { CLUSTER_BATCH_SIZE: '60' };

/** The user-facing outputs of a run, with the run's own name taken out so two runs compare. */
async function outputs(store: ObjectStore, run: string): Promise<string[]> {
  const keys = runKeys(run);
  const texts = [keys.eventOut, keys.clusterOut, keys.flowOut].map(async (key) =>
    (await store.get(key)).toString('utf8').replaceAll(run, '<run>'),
  );
  return Promise.all(texts);
}

describe('a worker process that gets SIGTERM mid-run', () => {
  it('lets its running activity finish and hands the rest of the run on', async () => {
    const reference = testConfig(env, tuning);
    const referenceDeps = await testDeps(reference);
    await putJson(referenceDeps.store, 'input/undisturbed.json', alerts);
    const undisturbed = await startIngest(
      env.client,
      referenceDeps.store,
      reference,
      'input/undisturbed.json',
    );
    const expected = await withWorker(env, referenceDeps, () => undisturbed.handle.result());

    const config = testConfig(env, tuning);
    const deps = await testDeps(config);
    await putJson(deps.store, 'input/handoff.json', alerts);
    const workerEnv = {
      ...tuning,
      DATA_DIR: config.dataDir,
      TEMPORAL_ADDRESS: env.server.address,
      TASK_QUEUE: config.temporal.taskQueue,
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_SECONDS: '30',
    };
    const workers: WorkerProcess[] = [];
    try {
      const first = startWorkerProcess(workerEnv);
      workers.push(first);
      const started = await startIngest(env.client, deps.store, config, 'input/handoff.json');

      // Signal while the first worker has an activity in hand, as a deploy would.
      const inHand = await waitFor('an activity running on the first worker', async () => {
        const { raw } = await started.handle.describe();
        return raw.pendingActivities?.find((a) =>
          a.lastWorkerIdentity?.startsWith(`${first.pid}@`),
        );
      });
      first.signal('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(first.output()).toContain('worker stopping');
      expect((await started.handle.describe()).status.name).toBe('RUNNING');

      // The rest goes to a deployment split by role: one process for workflows, one for activities.
      const second = startWorkerProcess(workerEnv, ['--role', 'workflows']);
      const third = startWorkerProcess(workerEnv, ['--role', 'io,models']);
      workers.push(second, third);
      const result = await started.handle.result();
      expect(result).toMatchObject({ alerts: 1500, rejected: 0, clusters: expected.clusters });
      expect(await outputs(deps.store, result.run)).toEqual(
        await outputs(referenceDeps.store, expected.run),
      );

      // The activity in hand at SIGTERM completed on the first worker, on its first attempt.
      const events = (await started.handle.fetchHistory()).events ?? [];
      const scheduled = events.find(
        (e) => e.activityTaskScheduledEventAttributes?.activityId === inHand.activityId,
      );
      const completed = events.find(
        (e) =>
          Number(e.activityTaskCompletedEventAttributes?.scheduledEventId) ===
          Number(scheduled?.eventId),
      );
      expect(completed?.activityTaskCompletedEventAttributes?.identity).toMatch(
        new RegExp(`^${first.pid}@`),
      );
      const identities = new Set(
        events.map((e) => e.activityTaskCompletedEventAttributes?.identity?.replace(/@[^/]*/, '')),
      );
      expect(identities).toContain(`${third.pid}/io`);
      expect(identities).toContain(`${third.pid}/models`);
      expect([...identities].some((i) => i?.startsWith(`${second.pid}/`))).toBe(false);

      // Model work went to the model queue, everything else to the I/O queue.
      const queues = new Map<string, Set<string>>();
      for (const e of events) {
        const a = e.activityTaskScheduledEventAttributes;
        if (!a) continue;
        const kind = a.activityType?.name === 'runModel' ? 'model' : 'io';
        queues.set(kind, (queues.get(kind) ?? new Set()).add(a.taskQueue?.name ?? ''));
      }
      expect(queues.get('model')).toEqual(new Set([config.temporal.modelTaskQueue]));
      expect(queues.get('io')).toEqual(new Set([config.temporal.ioTaskQueue]));
    } finally {
      for (const worker of workers) worker.signal('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
    }
  });
});
