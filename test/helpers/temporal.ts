import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  NativeConnection,
  type Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import type { ActivityDeps } from '../../activities/deps.js';
import { loadConfig, type Config } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { freePort, startDevServer, type DevServer } from '../../core/temporal-server.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import { bundlePipelineWorkflows } from '../../workers/bundle.js';
import { createPipelineWorkers, runWorkersUntil } from '../../workers/pipeline-worker.js';
import { installRuntime } from '../../workers/runtime.js';
import { afterAll, beforeAll } from 'vitest';

export const testLogger = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn', 'test');

/** One real Temporal dev server (in memory, free ports) and one workflow bundle per test file. */
export interface TemporalTestEnv {
  server: DevServer;
  client: Client;
  connection: Connection;
  workerConnection: NativeConnection;
  bundle: WorkflowBundleWithSourceMap;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * One server for the calling test file: started before its tests, stopped after them. The object
 * is filled in when the server is up, so tests read it as they run.
 */
export function useTemporalTestEnv(): TemporalTestEnv {
  const env = {} as TemporalTestEnv;
  beforeAll(async () => {
    Object.assign(env, await startTemporalTestEnv());
  });
  afterAll(async () => env.stop?.());
  return env;
}

export async function startTemporalTestEnv(): Promise<TemporalTestEnv> {
  installRuntime(testLogger);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-test-'));
  const server = await startDevServer(
    {
      port: await freePort(),
      uiPort: await freePort(),
      logFile: path.join(dataDir, 'temporal-server.log'),
      namespace: 'default',
    },
    testLogger,
  );
  const connection = await Connection.connect({ address: server.address });
  const workerConnection = await NativeConnection.connect({ address: server.address });
  const bundle = await bundlePipelineWorkflows();
  return {
    server,
    client: new Client({ connection }),
    connection,
    workerConnection,
    bundle,
    dataDir,
    async stop() {
      await workerConnection.close();
      await connection.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let queueCounter = 0;

/** A configuration for one test: its own store folder and task queue. */
export function testConfig(env: TemporalTestEnv, overrides: Record<string, string> = {}): Config {
  const name = `test-${process.pid}-${++queueCounter}`;
  return loadConfig({
    DATA_DIR: path.join(env.dataDir, name),
    TEMPORAL_ADDRESS: env.server.address,
    TASK_QUEUE: name,
    LOG_LEVEL: 'warn',
    ...overrides,
  });
}

export async function testDeps(config: Config): Promise<ActivityDeps> {
  return createActivityDeps(config, testLogger);
}

/** Runs `fn` while pipeline workers (workflows, I/O, models) poll the config's task queues. */
export async function withWorker<T>(
  env: TemporalTestEnv,
  deps: ActivityDeps,
  fn: (workers: Worker[]) => Promise<T>,
  activities?: Record<string, (...args: never[]) => Promise<unknown>>,
): Promise<T> {
  const workers = await createPipelineWorkers({
    connection: env.workerConnection,
    deps,
    workflowBundle: env.bundle,
    activities,
  });
  return runWorkersUntil(workers, fn(workers));
}
