import {
  ApplicationFailure,
  defineQuery,
  log,
  ParentClosePolicy,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PipelineSettings } from '../core/config.js';
import { ingestWorkflowId, runName } from '../core/keys.js';
import {
  InputKeyAttribute,
  PipelineStageAttribute,
  RunNameAttribute,
} from '../core/search-attributes.js';
import { pipelineActivities } from './activity-options.js';
import { ingestWorkflow, type IngestResult } from './ingest.js';

export interface SplunkInputWorkflowInput {
  inputKey: string;
  settings: PipelineSettings;
}

export interface SplunkInputResult {
  inputKey: string;
  inputName: string;
  records: number;
  mapped: number;
  /** Records quarantined by the splitter or the VRL programs, each with its reason. */
  failed: number;
  failedPrefix: string;
  mergedKey: string;
  ingestWorkflowId: string;
  /** Absent when another starter (the watcher, the Lambda) had already started that run. */
  ingest?: IngestResult;
}

export interface SplunkInputProgress {
  stage: 'splitting' | 'mapping' | 'merging' | 'ingesting' | 'done';
  chunks: { done: number; total: number };
  mapped: number;
  failed: number;
}
export const splunkProgressQuery = defineQuery<SplunkInputProgress>('splunkProgress');

/**
 * A raw Splunk export (under `splunk_input/input/`): split it, map the chunks with VRL in
 * parallel activities, merge them into `input/<name>.json`, then run the IngestWorkflow for the
 * merged file. That run's id comes from the merged content, so a watcher that also notices the
 * new `input/` object starts nothing twice.
 */
export async function splunkInputWorkflow(
  input: SplunkInputWorkflowInput,
): Promise<SplunkInputResult> {
  const { acts } = pipelineActivities(input.settings.taskQueues);
  const progress: SplunkInputProgress = {
    stage: 'splitting',
    chunks: { done: 0, total: 0 },
    mapped: 0,
    failed: 0,
  };
  setHandler(splunkProgressQuery, () => progress);
  const stage = (s: SplunkInputProgress['stage']): void => {
    progress.stage = s;
    upsertSearchAttributes([{ key: PipelineStageAttribute, value: `splunk-${s}` }]);
  };

  stage('splitting');
  const split = await acts.splitSplunkInput({
    inputKey: input.inputKey,
    chunkSize: input.settings.chunkSize,
  });
  progress.chunks.total = split.chunkKeys.length;
  progress.failed = split.quarantined;

  stage('mapping');
  const transformed = await Promise.all(
    split.chunkKeys.map(async (chunkKey, chunkIndex) => {
      const result = await acts.transformSplunkChunk({
        inputName: split.inputName,
        chunkKey,
        chunkIndex,
      });
      progress.chunks.done++;
      progress.mapped += result.mapped;
      progress.failed += result.failed;
      return result;
    }),
  );

  stage('merging');
  const merged = await acts.mergeSplunkChunks({
    inputName: split.inputName,
    outputKeys: transformed.map((t) => t.outputKey),
  });
  if (merged.alerts === 0) {
    throw ApplicationFailure.nonRetryable(
      `${input.inputKey}: no record could be mapped; ` +
        `see splunk_input/scratch/transformed_failed/${split.inputName}/`,
      'InvalidSplunkExport',
    );
  }

  stage('ingesting');
  const run = runName(merged.inputKey, merged.runHash);
  const ingestId = ingestWorkflowId(run);
  const result: SplunkInputResult = {
    inputKey: input.inputKey,
    inputName: split.inputName,
    records: split.records + split.quarantined,
    mapped: progress.mapped,
    failed: progress.failed,
    failedPrefix: `splunk_input/scratch/transformed_failed/${split.inputName}/`,
    mergedKey: merged.inputKey,
    ingestWorkflowId: ingestId,
  };
  try {
    const child = await startChild(ingestWorkflow, {
      workflowId: ingestId,
      args: [{ inputKey: merged.inputKey, run, settings: input.settings }],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: [
        { key: InputKeyAttribute, value: merged.inputKey },
        { key: RunNameAttribute, value: run },
      ],
    });
    result.ingest = await child.result();
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    log.info('the run for the merged input was already started elsewhere', { ingestId });
  }
  stage('done');
  return result;
}
