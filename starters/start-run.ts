import { createHash } from 'node:crypto';
import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../core/config.js';
import { runName } from '../core/keys.js';
import { InputKeyAttribute, RunNameAttribute } from '../core/search-attributes.js';
import type { ObjectStore } from '../core/store/index.js';
import type { ingestWorkflow } from '../workflows/index.js';

export interface StartedRun {
  workflowId: string;
  run: string;
  inputKey: string;
  handle: WorkflowHandle<typeof ingestWorkflow>;
  /** False when a run for the same object and content already existed. */
  started: boolean;
}

export const ingestWorkflowId = (run: string): string => `ingest-${run}`;

/**
 * Starts one IngestWorkflow for an object. The id comes from the key and a hash of the content,
 * so the same object never runs twice: a second start attaches to the first run.
 */
export async function startIngest(
  client: Client,
  store: ObjectStore,
  config: Config,
  inputKey: string,
): Promise<StartedRun> {
  const hash = createHash('sha256').update(await store.get(inputKey)).digest('hex');
  const run = runName(inputKey, hash);
  const workflowId = ingestWorkflowId(run);
  try {
    const handle = await client.workflow.start<typeof ingestWorkflow>('ingestWorkflow', {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [{ inputKey, run, settings: config.pipeline }],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      typedSearchAttributes: [
        { key: InputKeyAttribute, value: inputKey },
        { key: RunNameAttribute, value: run },
      ],
    });
    return { workflowId, run, inputKey, handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const handle = client.workflow.getHandle<typeof ingestWorkflow>(workflowId);
    return { workflowId, run, inputKey, handle, started: false };
  }
}

/** The Web UI page of a workflow execution. */
export function workflowUiUrl(uiUrl: string, namespace: string, workflowId: string, runId: string): string {
  return `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}
