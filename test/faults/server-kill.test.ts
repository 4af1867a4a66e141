import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bench/generator/random.js';
import { startIngest } from '../../starters/start-run.js';
import type { IngestResult } from '../../workflows/index.js';
import {
  ensureFreshDist,
  generatedInput,
  putInput,
  resultSurvivingRestarts,
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

let env: FaultEnv;
beforeAll(async () => {
  ensureFreshDist();
  env = await startFaultEnv();
}, 600_000);
afterAll(async () => env?.stop());

const input = generatedInput(5000, 12);
const seed = Number(process.env.FAULT_SEED ?? 7);

describe('the embedded Temporal server SIGKILLed mid-run and started again on its database', () => {
  it('keeps the run, the worker reconnects, and the output is that of an undisturbed run', async () => {
    const reference = await undisturbedRun(env, input);

    const settings = scenarioSettings(env);
    const config = scenarioConfig(settings);
    const store = scenarioStore(config);
    await putInput(store, 'input/server-killed.json', input);
    const fleet = new WorkerFleet(settings);
    try {
      const worker = fleet.start();
      let workerExited = false;
      void worker.exited.then(() => (workerExited = true));
      const started = await startIngest(env.client, store, config, 'input/server-killed.json');
      const random = new SeededRandom(seed);
      for (const point of seededPoints(seed, 2, reference.progressTotal)) {
        await waitForProgress(store, started.run, point);
        await env.server.kill();
        // The server stays down a little while, as a crashed host would.
        await new Promise((r) => setTimeout(r, random.int(200, 3000)));
        await env.server.restart();
      }
      const result = await resultSurvivingRestarts<IngestResult>(started.handle);

      expect(workerExited).toBe(false);
      const { alerts, rejected, clusters } = reference.result;
      expect(result).toMatchObject({ alerts, rejected, clusters });
      expect(await runOutputs(store, result.run)).toEqual(
        await runOutputs(reference.store, reference.result.run),
      );
    } finally {
      await fleet.stopAll();
    }
  }, 900_000);
});
