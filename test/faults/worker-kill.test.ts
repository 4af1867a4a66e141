import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest } from '../../starters/start-run.js';
import {
  activityInHand,
  ensureFreshDist,
  generatedInput,
  retriedActivities,
  stillOnWorker,
  putInput,
  runOutputs,
  scenarioConfig,
  scenarioSettings,
  scenarioStore,
  seededPoints,
  startFaultEnv,
  undisturbedRun,
  waitForProgress,
  WorkerFleet,
  type FaultEnv,
} from './harness.js';
import { saveHistory } from '../helpers/histories.js';

let env: FaultEnv;
beforeAll(async () => {
  ensureFreshDist();
  env = await startFaultEnv();
}, 600_000);
afterAll(async () => env?.stop());

const input = generatedInput(5000, 11);
const seed = Number(process.env.FAULT_SEED ?? 7);

describe('a worker process SIGKILLed at random points of a run', () => {
  it('is replaced, and the run finishes with the output of an undisturbed run', async () => {
    const reference = await undisturbedRun(env, input);

    const settings = scenarioSettings(env);
    const config = scenarioConfig(settings);
    const store = scenarioStore(config);
    await putInput(store, 'input/killed.json', input);
    const fleet = new WorkerFleet(settings);
    try {
      let worker = fleet.start();
      const started = await startIngest(env.client, store, config, 'input/killed.json');
      const runIds = [started.workflowId, `${started.workflowId}/flow`];
      const lost: string[] = [];
      for (const [n, point] of seededPoints(seed, 3, reference.progressTotal).entries()) {
        await waitForProgress(store, started.run, point);
        // The first kill takes an activity's attempt with it (the worst case); the others land
        // wherever the run is. An activity that finishes just before the kill does not count.
        for (let tries = 0; ; tries++) {
          const inHand = n === 0 ? await activityInHand(env.client, runIds, worker.pid) : undefined;
          worker.signal('SIGKILL');
          expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
          expect((await started.handle.describe()).status.name).toBe('RUNNING');
          const killed = worker.pid;
          worker = fleet.start();
          if (inHand && (await stillOnWorker(env.client, inHand, killed))) lost.push(inHand.type);
          if (n > 0 || lost.length > 0 || tries >= 5) break;
        }
      }
      const result = await started.handle.result();

      const { alerts, rejected, clusters } = reference.result;
      expect(result).toMatchObject({ alerts, rejected, clusters });
      expect(await runOutputs(store, result.run)).toEqual(
        await runOutputs(reference.store, reference.result.run),
      );
      // Work lost with a killed worker was done again: those activities took a second attempt.
      const history = await started.handle.fetchHistory();
      const flowHistory = await env.client.workflow.getHandle(runIds[1]!).fetchHistory();
      const retried = retriedActivities([history, flowHistory]);
      expect(lost).toHaveLength(1);
      expect(retried).toContain(lost[0]);
      if (process.env.RECORD_HISTORIES) {
        // Replayed by test/workflows/replay.test.ts: a run that lost a worker, and its campaigns.
        const campaignId = `${started.workflowId}/campaign`;
        const campaign = await env.client.workflow.getHandle(campaignId).fetchHistory();
        saveHistory('ingest-worker-killed', started.workflowId, history);
        saveHistory('campaign-worker-killed', campaignId, campaign);
      }
    } finally {
      await fleet.stopAll();
    }
  }, 900_000);
});
