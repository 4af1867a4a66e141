import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { withTemporalClient } from '../core/temporal-connection.js';

/**
 * `health`: exits 0 when the Temporal frontend answers and, with `pollers`, when some worker
 * polls the task queue. Container health checks call it, so a worker that lost its server (or
 * never reached it) shows as unhealthy instead of merely running.
 */
export async function healthCommand(
  options: { pollers: boolean },
  config: Config,
  logger: Logger,
): Promise<number> {
  return withTemporalClient(config.temporal, async ({ connection, address }) => {
    await connection.healthService.check({});
    const taskQueue = config.temporal.taskQueue;
    if (options.pollers) {
      const { pollers } = await connection.workflowService.describeTaskQueue({
        namespace: config.temporal.namespace,
        // No task queue type asks about workflow tasks, which every pipeline worker polls.
        taskQueue: { name: taskQueue },
      });
      if (!pollers?.length) {
        logger.warn({ address, taskQueue }, 'no worker polls the task queue');
        process.stderr.write(`unhealthy: no worker polls task queue ${taskQueue} at ${address}\n`);
        return 1;
      }
    }
    process.stdout.write(`healthy: ${address}${options.pollers ? `, ${taskQueue} polled` : ''}\n`);
    return 0;
  });
}
