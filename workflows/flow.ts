import { proxyActivities } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.js';
import type { WrittenOutputs } from '../activities/write-outputs.js';
import { runKeys } from '../core/keys.js';
import { dataActivityOptions, modelActivityOptions } from './activity-options.js';

const { writeOutputs } = proxyActivities<PipelineActivities>(dataActivityOptions);
const { runModel } = proxyActivities<PipelineActivities>(modelActivityOptions);

export interface FlowWorkflowInput {
  run: string;
  flowInputKey: string;
}

/**
 * The flow step as a child workflow: runs the flow model over the run's clusters and writes the
 * user-facing outputs and the ticketing input.
 */
export async function flowWorkflow(input: FlowWorkflowInput): Promise<WrittenOutputs> {
  const keys = runKeys(input.run);
  const flowOutputKey = await runModel({
    model: 'flow',
    inputKey: input.flowInputKey,
    outputPrefix: keys.flowOutputPrefix,
    jobName: `${input.run}-flow`,
  });
  return writeOutputs({ run: input.run, flowOutputKey });
}
