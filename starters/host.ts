import path from 'node:path';
import { Client } from '@temporalio/client';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { ActivityDeps } from '../activities/deps.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { connectClient, connectWorker } from '../core/temporal-connection.js';
import { startDevServer, type DevServer } from '../core/temporal-server.js';
import { createActivityDeps } from '../workers/activity-deps.js';
import { loadPipelineWorkflows } from '../workers/bundle.js';
import { createPipelineWorkers, runWorkers } from '../workers/pipeline-worker.js';
import { installRuntime } from '../workers/runtime.js';

/** A running product: a Temporal server (embedded or not), a client and optionally a worker. */
export interface Host {
  config: Config;
  client: Client;
  deps: ActivityDeps;
  address: string;
  uiUrl?: string;
  /** In-process workers, one per role (workflows, I/O activities, model activities). */
  workers: Worker[];
  close(): Promise<void>;
}

/**
 * Connects to TEMPORAL_ADDRESS, or starts the embedded dev server with its state kept under the
 * data folder, and runs an in-process worker when asked.
 */
export async function openHost(
  config: Config,
  logger: Logger,
  options: { worker: boolean },
): Promise<Host> {
  installRuntime(logger);
  let server: DevServer | undefined;
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const fn of closers.reverse())
      await fn().catch((err) => logger.warn({ err }, 'close failed'));
  };
  try {
    if (!config.temporal.address) {
      server = await startDevServer(
        {
          cliPath: config.temporal.cliPath,
          dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
          port: config.temporal.port,
          uiPort: config.temporal.uiPort,
          logFile: path.join(config.dataDir, 'temporal', 'server.log'),
          namespace: config.temporal.namespace,
        },
        logger,
      );
      closers.push(() => server!.stop());
    }
    const address = config.temporal.address ?? server!.address;
    const uiUrl = config.temporal.uiUrl ?? server?.uiUrl;
    const connection = await connectClient(config.temporal, address);
    closers.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const deps = await createActivityDeps(config, logger);

    let workers: Worker[] = [];
    if (options.worker) {
      const workerConnection: NativeConnection = await connectWorker(config.temporal, address);
      closers.push(() => workerConnection.close());
      workers = await createPipelineWorkers({
        connection: workerConnection,
        deps,
        workflowBundle: await loadPipelineWorkflows(),
      });
      const running = runWorkers(workers);
      // Surfaces a worker that dies on its own instead of leaving runs waiting in silence.
      running.catch((err: unknown) => logger.error({ err }, 'a pipeline worker stopped'));
      closers.push(async () => {
        // Each worker lets its running activities finish within SHUTDOWN_GRACE_SECONDS.
        for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
        await running.catch(() => undefined);
      });
    }
    return { config, client, deps, address, uiUrl, workers, close };
  } catch (err) {
    await close();
    throw err;
  }
}
