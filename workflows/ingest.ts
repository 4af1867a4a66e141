import {
  continueAsNew,
  executeChild,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { PreparedInput } from '../activities/prepare-input.js';
import type { ProcessedEnriched } from '../activities/process-enriched.js';
import type { WrittenOutputs } from '../activities/write-outputs.js';
import type { PipelineSettings, TicketSettings } from '../core/config.js';
import { runKeys } from '../core/keys.js';
import { AlertCountAttribute, PipelineStageAttribute } from '../core/search-attributes.js';
import { pipelineActivities } from './activity-options.js';
import { flowWorkflow } from './flow.js';
import { progressQuery, type IngestProgress, type IngestStage } from './progress.js';
import { runTicketSteps, type TicketsSummary } from './tickets.js';

export interface IngestWorkflowInput {
  inputKey: string;
  /** The run's name: folder under `scratch/` and `output/`. */
  run: string;
  settings: PipelineSettings;
  /** Set when the workflow continued as new in the middle of the clustering loop. */
  resume?: ClusteringResume;
}

/** Everything the clustering loop needs to carry on in a fresh history. Keys only, no data. */
export interface ClusteringResume {
  prepared: PreparedInput;
  enriched: ProcessedEnriched;
  nextBatch: number;
  previousOutputKey: string | null;
  continuedAsNew: number;
}

export interface IngestResult {
  run: string;
  inputKey: string;
  alerts: number;
  rejected: number;
  rejectedKey: string;
  clusters: number;
  flows: number;
  clusterBatches: number;
  continuedAsNew: number;
  outputs: WrittenOutputs;
  /** Campaign, JIRA and case steps; absent in runs recorded before they existed. */
  tickets?: TicketsSummary;
}

/**
 * One input file through the whole pipeline: enrich with techniques, cluster batch by batch,
 * settle clusters, then the flow step as a child workflow.
 */
export async function ingestWorkflow(input: IngestWorkflowInput): Promise<IngestResult> {
  const { run, inputKey, settings } = input;
  const { acts, runModel } = pipelineActivities(settings.taskQueues);
  const progress: IngestProgress = {
    run,
    inputKey,
    stage: 'preparing',
    alerts: input.resume?.prepared.alerts ?? 0,
    rejected: input.resume?.prepared.rejected ?? 0,
    chunks: { done: 0, total: input.resume?.prepared.chunks ?? 0 },
    clusterBatches: {
      done: input.resume?.nextBatch ?? 0,
      total: input.resume?.enriched.clusterBatches ?? 0,
    },
    clusters: 0,
    flows: 0,
    continuedAsNew: input.resume?.continuedAsNew ?? 0,
  };
  setHandler(progressQuery, () => progress);
  const enterStage = (stage: IngestStage): void => {
    progress.stage = stage;
    upsertSearchAttributes([{ key: PipelineStageAttribute, value: stage }]);
  };

  let prepared: PreparedInput;
  let enriched: ProcessedEnriched;
  if (input.resume) {
    ({ prepared, enriched } = input.resume);
    progress.chunks.done = prepared.chunks;
  } else {
    enterStage('preparing');
    prepared = await acts.prepareInput({ run, inputKey, chunkSize: settings.chunkSize });
    Object.assign(progress, { alerts: prepared.alerts, rejected: prepared.rejected });
    progress.chunks.total = prepared.chunks;
    upsertSearchAttributes([{ key: AlertCountAttribute, value: prepared.alerts }]);
    log.info('input prepared', {
      run,
      inputKey,
      alerts: prepared.alerts,
      rejected: prepared.rejected,
    });

    enterStage('classifying');
    const techniqueOutputs = await Promise.all(
      prepared.techniqueInputs.map(async (techniqueInput, chunk) => {
        if (!techniqueInput) {
          progress.chunks.done++;
          return null;
        }
        const out = await runModel({
          model: 'technique',
          inputKey: techniqueInput,
          outputPrefix: runKeys(run).techniqueOutputPrefix(chunk),
          jobName: `${run}-technique-${chunk}`,
        });
        progress.chunks.done++;
        return out;
      }),
    );

    enterStage('merging');
    enriched = await acts.processEnriched({
      run,
      chunks: prepared.chunks,
      techniqueOutputs,
      clusterBatchSize: settings.clusterBatchSize,
    });
    await acts.updateLookupTable({ run, techniqueOutputs });
    progress.clusterBatches.total = enriched.clusterBatches;
  }

  enterStage('clustering');
  const batches = await clusterLoop(input, prepared, enriched, progress);

  enterStage('settling');
  const settled = await acts.processCluster({
    run,
    chunks: prepared.chunks,
    batches,
    maxFlowGapSeconds: settings.clusterWindowSeconds * 12,
  });
  progress.clusters = settled.clusters;

  enterStage('flows');
  const outputs = await executeChild(flowWorkflow, {
    workflowId: `${workflowInfo().workflowId}/flow`,
    args: [
      {
        run,
        flowInputKey: settled.flowInputKey,
        taskQueues: settings.taskQueues,
        ...alertFilesOf(settings.tickets),
      },
    ],
  });
  progress.flows = outputs.flows;
  // Runs started without ticket settings (and their saved histories) end after the flow step.
  let tickets: TicketsSummary | undefined;
  if (settings.tickets && patched('tickets')) {
    enterStage('tickets');
    tickets = await runTicketSteps(
      run,
      outputs.enrichAlertInputKey,
      settings.tickets,
      settings.taskQueues,
    );
  }
  enterStage('done');
  log.info('run finished', { run, clusters: settled.clusters, flows: outputs.flows });
  return {
    run,
    inputKey,
    alerts: prepared.alerts,
    rejected: prepared.rejected,
    rejectedKey: prepared.rejectedKey,
    clusters: settled.clusters,
    flows: outputs.flows,
    clusterBatches: batches,
    continuedAsNew: progress.continuedAsNew,
    outputs,
    tickets,
  };
}

/**
 * The durable clustering loop. Each answer says whether another batch follows; the loop
 * continues as new before its history grows large, carrying only keys.
 */
async function clusterLoop(
  input: IngestWorkflowInput,
  prepared: PreparedInput,
  enriched: ProcessedEnriched,
  progress: IngestProgress,
): Promise<number> {
  const { run, settings } = input;
  const { acts, runModel } = pipelineActivities(settings.taskQueues);
  const keys = runKeys(run);
  let batch = input.resume?.nextBatch ?? 0;
  let previousOutputKey = input.resume?.previousOutputKey ?? null;
  let sinceStart = 0;
  for (;;) {
    const step = await acts.buildClusterInput({
      run,
      batch,
      totalBatches: enriched.clusterBatches,
      previousOutputKey,
      windowSeconds: settings.clusterWindowSeconds,
    });
    if (step.done) return batch;
    previousOutputKey = await runModel({
      model: 'cluster',
      inputKey: step.inputKey,
      outputPrefix: keys.clusterOutputPrefix(batch),
      jobName: `${run}-cluster-${batch}`,
    });
    batch++;
    sinceStart++;
    progress.clusterBatches.done = batch;
    if (
      sinceStart >= settings.batchesBeforeContinueAsNew ||
      workflowInfo().continueAsNewSuggested
    ) {
      log.info('continuing as new inside the clustering loop', { run, nextBatch: batch });
      await continueAsNew<typeof ingestWorkflow>({
        ...input,
        resume: {
          prepared,
          enriched,
          nextBatch: batch,
          previousOutputKey,
          continuedAsNew: progress.continuedAsNew + 1,
        },
      });
    }
  }
}

/** Which alerts files the ticketing steps read; none named without ticket settings. */
function alertFilesOf(tickets: TicketSettings | undefined) {
  if (!tickets) return {};
  const { eventThreshold, tacticThreshold } = tickets;
  return { alertFiles: { eventThreshold, tacticThreshold, perFlow: Boolean(tickets.perFlow) } };
}
