import { WorkflowNotFoundError } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { withTemporalClient } from '../core/temporal-connection.js';

/**
 * `cancel <workflowId>`: asks the run to stop. The workflow sees the request at its next task,
 * cancels its running activities and child workflows, and closes as cancelled; a run that has
 * already closed is left as it is. The outputs written so far stay in the store.
 */
export async function cancelCommand(
  workflowId: string,
  config: Config,
  logger: Logger,
): Promise<number> {
  return withTemporalClient(config.temporal, async ({ client }) => {
    const handle = client.workflow.getHandle(workflowId);
    try {
      const description = await handle.describe();
      if (description.status.name !== 'RUNNING') {
        process.stderr.write(
          `${workflowId} is already ${description.status.name}; nothing to cancel\n`,
        );
        return 1;
      }
      await handle.cancel();
      logger.info({ workflowId, runId: description.runId }, 'cancellation requested');
      process.stdout.write(`cancellation requested for ${workflowId} (run ${description.runId})\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      process.stderr.write(`no workflow ${workflowId} in namespace ${config.temporal.namespace}\n`);
      return 1;
    }
  });
}
