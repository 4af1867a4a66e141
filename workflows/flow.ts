import type { AlertFileRule, WrittenOutputs } from '../activities/write-outputs.js';
import type { ActivityTaskQueues } from '../core/config.js';
import { runKeys } from '../core/keys.js';
import { pipelineActivities } from './activity-options.js';

export interface FlowWorkflowInput {
  run: string;
  flowInputKey: string;
  /** From the parent's settings; absent in runs started before the queues were split. */
  taskQueues?: ActivityTaskQueues;
  /** From the ticket settings: only the clusters a ticket can use get an alerts file. */
  alertFiles?: AlertFileRule;
}

/**
 * The flow step as a child workflow: runs the flow model over the run's clusters and writes the
 * user-facing outputs and the ticketing input.
 */
export async function flowWorkflow(input: FlowWorkflowInput): Promise<WrittenOutputs> {
  const keys = runKeys(input.run);
  const { acts, runModel } = pipelineActivities(input.taskQueues);
  const flowOutputKey = await runModel({
    model: 'flow',
    inputKey: input.flowInputKey,
    outputPrefix: keys.flowOutputPrefix,
    jobName: `${input.run}-flow`,
  });
  const { alertFiles } = input;
  return acts.writeOutputs({
    run: input.run,
    flowOutputKey,
    ...(alertFiles ? { alertFiles } : {}),
  });
}
