import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { connectWorker } from '../core/temporal-connection.js';
import { createActivityDeps } from './activity-deps.js';
import { loadPipelineWorkflows } from './bundle.js';
import { createPipelineWorker } from './pipeline-worker.js';
import { installRuntime } from './runtime.js';

/**
 * A standalone worker for an existing Temporal server (TEMPORAL_ADDRESS, or the embedded server
 * of a serving product). SIGINT and SIGTERM stop polling and let running activities finish.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  installRuntime(logger);
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
  const connection = await connectWorker(config.temporal, address);
  try {
    const worker = await createPipelineWorker({
      connection,
      deps: await createActivityDeps(config, logger),
      workflowBundle: await loadPipelineWorkflows(),
    });
    logger.info({ address, taskQueue: config.temporal.taskQueue }, 'worker polling');
    await worker.run();
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
  process.exit(err instanceof ConfigError ? 2 : 1);
});
