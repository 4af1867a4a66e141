import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../core/config.js';
import { createLogger } from '../core/logger.js';
import { connectWorker } from '../core/temporal-connection.js';
import { createActivityDeps } from './activity-deps.js';
import { loadPipelineWorkflows } from './bundle.js';
import {
  createPipelineWorkers,
  roleTaskQueue,
  runWorkers,
  workerRoles,
  type WorkerRole,
} from './pipeline-worker.js';
import { installRuntime } from './runtime.js';

function parseRoles(value: string): WorkerRole[] {
  const roles = new Set<WorkerRole>();
  for (const part of value.split(',').map((p) => p.trim())) {
    if (part === 'all') workerRoles.forEach((r) => roles.add(r));
    else if ((workerRoles as readonly string[]).includes(part)) roles.add(part as WorkerRole);
    else throw new InvalidArgumentError(`expected all or a list of ${workerRoles.join(', ')}`);
  }
  return [...roles];
}

/**
 * A standalone worker process for an existing Temporal server (TEMPORAL_ADDRESS, or the embedded
 * server of a serving product). SIGINT and SIGTERM stop polling at once and give running
 * activities SHUTDOWN_GRACE_SECONDS to finish; another worker takes the rest of the run.
 */
async function main(roles: WorkerRole[]): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, 'worker');
  installRuntime(logger);
  const { temporal } = config;
  const address = temporal.address ?? `127.0.0.1:${temporal.port}`;
  const connection = await connectWorker(temporal, address);
  try {
    const workers = await createPipelineWorkers({
      connection,
      roles,
      deps: await createActivityDeps(config, logger),
      workflowBundle: await loadPipelineWorkflows(),
    });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () =>
        logger.info(
          { signal, graceSeconds: temporal.shutdownGraceSeconds },
          'worker stopping: no new tasks, running activities may finish',
        ),
      );
    }
    const taskQueues = roles.map((role) => roleTaskQueue(role, temporal));
    logger.info({ address, roles, taskQueues }, 'worker polling');
    await runWorkers(workers);
    logger.info({ roles }, 'worker stopped');
  } finally {
    await connection.close();
  }
}

const program = new Command()
  .name('alert-pipeline-worker')
  .description('polls the pipeline task queues of the given roles until SIGTERM')
  .option(
    '--role <roles>',
    `all, or a comma-separated list of ${workerRoles.join(', ')}`,
    parseRoles,
    [...workerRoles],
  )
  .action(async (opts: { role: WorkerRole[] }) => {
    try {
      await main(opts.role);
    } catch (err) {
      const message = err instanceof ConfigError ? err.message : (err as Error).stack;
      process.stderr.write(`${message}\n`);
      process.exitCode = err instanceof ConfigError ? 2 : 1;
    }
  });

await program.parseAsync(process.argv);
