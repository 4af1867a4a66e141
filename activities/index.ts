import type { ActivityDeps } from './deps.js';
import { makeBuildClusterInput } from './cluster-batches.js';
import { makeFeedbackActivities } from './feedback/index.js';
import { makePrepareInput } from './prepare-input.js';
import { makeProcessCluster } from './process-cluster.js';
import { makeProcessEnriched, makeUpdateLookupTable } from './process-enriched.js';
import { makeRunModel } from './run-model.js';
import { makeSplunkInputActivities } from './splunk-input.js';
import { makeTicketActivities } from './tickets/index.js';
import { makeWriteOutputs } from './write-outputs.js';

export type { ActivityDeps } from './deps.js';

/**
 * Every activity of the pipeline, bound to one worker's clients and configuration. Workflows
 * import only the type of this object.
 */
export function createActivities(deps: ActivityDeps) {
  return {
    ...makeSplunkInputActivities(deps),
    prepareInput: makePrepareInput(deps),
    runModel: makeRunModel(deps),
    processEnriched: makeProcessEnriched(deps),
    updateLookupTable: makeUpdateLookupTable(deps),
    buildClusterInput: makeBuildClusterInput(deps),
    processCluster: makeProcessCluster(deps),
    writeOutputs: makeWriteOutputs(deps),
    ...makeTicketActivities(deps),
    ...makeFeedbackActivities(deps),
  };
}

export type PipelineActivities = ReturnType<typeof createActivities>;
