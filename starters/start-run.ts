import {
  WorkflowExecutionAlreadyStartedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Config } from '../core/config.js';
import { runHash } from '../core/run-hash.js';
import { ingestWorkflowId, prefixes, runName, splunkWorkflowId } from '../core/keys.js';
import { InputKeyAttribute, RunNameAttribute } from '../core/search-attributes.js';
import type { ObjectStore } from '../core/store/index.js';
import type {
  IngestResult,
  ingestWorkflow,
  SplunkInputResult,
  splunkInputWorkflow,
} from '../workflows/index.js';

interface Started<W extends typeof ingestWorkflow | typeof splunkInputWorkflow> {
  workflowId: string;
  run: string;
  inputKey: string;
  handle: WorkflowHandle<W>;
  /** False when a run for the same object and content already existed. */
  started: boolean;
}
export type StartedIngest = Started<typeof ingestWorkflow> & { kind: 'ingest' };
export type StartedSplunk = Started<typeof splunkInputWorkflow> & { kind: 'splunk' };
export type StartedRun = StartedIngest | StartedSplunk;

export const isSplunkKey = (key: string): boolean => key.startsWith(prefixes.splunkInput);

async function identify(store: ObjectStore, inputKey: string) {
  const run = runName(inputKey, runHash(inputKey, await store.get(inputKey)));
  return {
    run,
    inputKey,
    searchAttributes: [
      { key: InputKeyAttribute, value: inputKey },
      { key: RunNameAttribute, value: run },
    ],
  };
}

/**
 * The same object never runs twice: ids come from the key and a hash of the content, and a
 * finished run is not run again. A second start while the first runs is refused rather than
 * silently attached (USE_EXISTING would return the running one as if just started), so that
 * `started` stays honest for backfills and the Lambda; the caller still gets a handle to it.
 */
const onceOnly = {
  workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
} as const;

/** Starts the IngestWorkflow for an internal-format object under `input/`. */
export async function startIngest(
  client: Client,
  store: ObjectStore,
  config: Config,
  inputKey: string,
): Promise<StartedIngest> {
  const { run, searchAttributes } = await identify(store, inputKey);
  const workflowId = ingestWorkflowId(run);
  const common = { kind: 'ingest', workflowId, run, inputKey } as const;
  try {
    const handle = await client.workflow.start<typeof ingestWorkflow>('ingestWorkflow', {
      ...onceOnly,
      workflowId,
      taskQueue: config.temporal.taskQueue,
      typedSearchAttributes: searchAttributes,
      args: [{ inputKey, run, settings: config.pipeline }],
    });
    return { ...common, handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { ...common, handle: client.workflow.getHandle(workflowId), started: false };
  }
}

/** Starts the SplunkInputWorkflow for a raw export under `splunk_input/input/`. */
export async function startSplunkInput(
  client: Client,
  store: ObjectStore,
  config: Config,
  inputKey: string,
): Promise<StartedSplunk> {
  const { run, searchAttributes } = await identify(store, inputKey);
  const workflowId = splunkWorkflowId(run);
  const common = { kind: 'splunk', workflowId, run, inputKey } as const;
  try {
    const handle = await client.workflow.start<typeof splunkInputWorkflow>('splunkInputWorkflow', {
      ...onceOnly,
      workflowId,
      taskQueue: config.temporal.taskQueue,
      typedSearchAttributes: searchAttributes,
      args: [{ inputKey, settings: config.pipeline }],
    });
    return { ...common, handle, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    return { ...common, handle: client.workflow.getHandle(workflowId), started: false };
  }
}

/** What a new object under either prefix starts. */
export function startRun(client: Client, store: ObjectStore, config: Config, inputKey: string) {
  return isSplunkKey(inputKey)
    ? startSplunkInput(client, store, config, inputKey)
    : startIngest(client, store, config, inputKey);
}

export interface RunOutcome {
  splunk?: SplunkInputResult;
  ingest: IngestResult;
  /** The IngestWorkflow that produced the output (for a Splunk export, the one it started). */
  ingestWorkflowId: string;
}

/** Waits for a run to finish, following a Splunk export into the run of its merged file. */
export async function awaitRun(client: Client, started: StartedRun): Promise<RunOutcome> {
  if (started.kind === 'ingest') {
    return { ingest: await started.handle.result(), ingestWorkflowId: started.workflowId };
  }
  const splunk = await started.handle.result();
  const ingest =
    splunk.ingest ??
    (await client.workflow.getHandle<typeof ingestWorkflow>(splunk.ingestWorkflowId).result());
  return { splunk, ingest, ingestWorkflowId: splunk.ingestWorkflowId };
}

/** The Web UI page of a workflow execution. */
export function workflowUiUrl(
  uiUrl: string,
  namespace: string,
  workflowId: string,
  runId: string,
): string {
  const ns = encodeURIComponent(namespace);
  return `${uiUrl}/namespaces/${ns}/workflows/${encodeURIComponent(workflowId)}/${runId}/history`;
}
