import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { withTemporalClient } from '../core/temporal-connection.js';
import { progressQuery, splunkProgressQuery } from '../workflows/index.js';

const runsQuery = "WorkflowType IN ('ingestWorkflow', 'splunkInputWorkflow')";

/**
 * Shows a run's progress (from its `progress` query), or the latest runs when none is named.
 * Talks to TEMPORAL_ADDRESS, or to the embedded server of a product that is serving.
 */
export async function statusCommand(
  workflowId: string | undefined,
  config: Config,
  _logger: Logger,
) {
  return withTemporalClient(config.temporal, async ({ client }) => {
    if (workflowId) {
      const handle = client.workflow.getHandle(workflowId);
      const description = await handle.describe();
      const progress = await (
        workflowId.startsWith('splunk-')
          ? handle.query(splunkProgressQuery)
          : handle.query(progressQuery)
      ).catch(() => undefined);
      process.stdout.write(
        `${JSON.stringify({ workflowId, status: description.status.name, progress }, null, 2)}\n`,
      );
      return 0;
    }
    let shown = 0;
    for await (const wf of client.workflow.list({ query: runsQuery })) {
      const started = wf.startTime.toISOString();
      process.stdout.write(`${wf.status.name.padEnd(12)} ${started}  ${wf.workflowId}\n`);
      if (++shown >= 50) break;
    }
    if (shown === 0) process.stdout.write('no runs yet\n');
    return 0;
  });
}
