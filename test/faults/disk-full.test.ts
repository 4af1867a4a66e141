import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalModelRunner } from '../../models/runner.js';
import { startIngest } from '../../starters/start-run.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import { loadPipelineWorkflows } from '../../workers/bundle.js';
import { createPipelineWorkers, runWorkersUntil } from '../../workers/pipeline-worker.js';
import { installRuntime } from '../../workers/runtime.js';
import { testLogger } from '../helpers/temporal.js';
import { waitFor } from '../workers/worker-process.js';
import { FullDiskStore } from './full-disk-store.js';
import {
  ensureFreshDist,
  generatedInput,
  pendingFailures,
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
  type UndisturbedRun,
} from './harness.js';

let env: FaultEnv;
let reference: UndisturbedRun;
const input = generatedInput(5000, 13);
const seed = Number(process.env.FAULT_SEED ?? 7);

beforeAll(async () => {
  ensureFreshDist();
  env = await startFaultEnv();
  reference = await undisturbedRun(env, input);
}, 600_000);
afterAll(async () => env?.stop());

/** Waits until some activity of the run has failed on a full disk and is being retried. */
async function retryingOnFullDisk(workflowId: string) {
  return waitFor(
    'an activity retrying after ENOSPC',
    async () => {
      const pending = await pendingFailures(env.client, [workflowId, `${workflowId}/flow`]);
      return pending.find((p) => p.attempt >= 2 && /ENOSPC|no space left/.test(p.failure ?? ''));
    },
    120_000,
    100,
  );
}

describe('an object store whose disk fills up mid-run', () => {
  it('retries the failed writes and finishes identically once space returns', async () => {
    installRuntime(testLogger);
    const settings = scenarioSettings(env);
    const config = scenarioConfig(settings);
    const deps = await createActivityDeps(config, testLogger);
    const store = new FullDiskStore(deps.store);
    const models = new LocalModelRunner(store, deps.attack);
    await putInput(store, 'input/full-disk.json', input);
    const connection = await NativeConnection.connect({ address: env.server.address });
    try {
      const workers = await createPipelineWorkers({
        connection,
        deps: { ...deps, store, models },
        workflowBundle: await loadPipelineWorkflows(),
      });
      const started = await startIngest(env.client, store, config, 'input/full-disk.json');
      const result = await runWorkersUntil(
        workers,
        (async () => {
          const [point] = seededPoints(seed, 1, reference.progressTotal);
          await waitForProgress(store, started.run, point!);
          store.full = true;
          const retrying = await retryingOnFullDisk(started.workflowId);
          expect(retrying.failure).toMatch(/ENOSPC: no space left on device, write '.+'/);
          expect((await started.handle.describe()).status.name).toBe('RUNNING');
          store.full = false;
          return started.handle.result();
        })(),
      );
      expect(store.failedWrites).toBeGreaterThan(0);
      expect(result).toMatchObject({ alerts: reference.result.alerts });
      expect(await runOutputs(store, result.run)).toEqual(
        await runOutputs(reference.store, reference.result.run),
      );
    } finally {
      await connection.close();
    }
  }, 600_000);
});

/** A real, small tmpfs under the store: needs root (CI containers usually run as root). */
function mountTmpfs(dir: string, size: string): boolean {
  if (process.getuid?.() !== 0) return false;
  mkdirSync(dir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes until the disk is full; returns the filler so it can be deleted. */
function fillDisk(dir: string): string {
  const filler = path.join(dir, 'filler.bin');
  const block = Buffer.alloc(64 << 10, 1);
  rmSync(filler, { force: true });
  for (let n = 0; ; n++) {
    try {
      writeFileSync(filler, block, { flag: n === 0 ? 'w' : 'a' });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') return filler;
      throw err;
    }
  }
}

describe('a real tmpfs store filled to the last byte mid-run', () => {
  it('finishes identically after the filler is deleted', async (ctx) => {
    const settings = scenarioSettings(env);
    const storeRoot = path.join(settings.DATA_DIR!, 'store');
    if (!mountTmpfs(storeRoot, '64m')) {
      ctx.skip(`no tmpfs: mounting one needs root and CAP_SYS_ADMIN (${storeRoot})`);
      return;
    }
    const fleet = new WorkerFleet(settings);
    try {
      const config = scenarioConfig(settings);
      const store = scenarioStore(config);
      await putInput(store, 'input/tmpfs.json', input);
      fleet.start();
      const started = await startIngest(env.client, store, config, 'input/tmpfs.json');
      const [point] = seededPoints(seed + 1, 1, reference.progressTotal);
      await waitForProgress(store, started.run, point!);
      const filler = fillDisk(storeRoot);
      const retrying = await retryingOnFullDisk(started.workflowId);
      expect(retrying.failure).toMatch(/ENOSPC/);
      rmSync(filler);
      const result = await started.handle.result();
      expect(await runOutputs(store, result.run)).toEqual(
        await runOutputs(reference.store, reference.result.run),
      );
    } finally {
      await fleet.stopAll();
      execFileSync('umount', ['-l', storeRoot], { stdio: 'ignore' });
    }
  }, 600_000);
});
