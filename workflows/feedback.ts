import {
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  executeChild,
  log,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { AppliedFeedback, FeedbackTicketInput } from '../activities/feedback/index.js';
import type { PipelineActivities } from '../activities/index.js';
import type { ActivityTaskQueues } from '../core/config.js';
import type {
  CutEvents,
  EditTechniques,
  FeedbackRequest,
  HideEvents,
} from '../core/feedback-formats.js';
import { casesWorkflow } from './cases.js';
import { jiraWorkflow } from './jira-issues.js';
import { ticketActivities, ticketActivityOptions } from './ticket-options.js';

/** The one long-lived feedback workflow; the UI signals it with signal-with-start. */
export const feedbackWorkflowId = 'feedback';

/**
 * Every change travels on this one signal. Signals that reach a run before its first workflow
 * task are buffered by the SDK and handed out per signal name as handlers are registered, so
 * one signal per kind of change would reorder a burst of changes sent while the run starts.
 */
export const feedbackSignal = defineSignal<[FeedbackRequest]>('feedback');

type Envelope = { id: string; at: string };
/** Signals of earlier releases, still accepted from runs and clients that used them. */
export const cutEventsSignal = defineSignal<[Envelope & CutEvents]>('cutEvents');
export const hideEventsSignal = defineSignal<[Envelope & HideEvents]>('hideEvents');
export const editTechniquesSignal = defineSignal<[Envelope & EditTechniques]>('editTechniques');

export interface FeedbackProgress {
  /** Requests handled over the whole continue-as-new chain. */
  handled: number;
  pending: number;
  continuedAsNew: number;
  last?: { id: string; status: string };
}
export const feedbackProgressQuery = defineQuery<FeedbackProgress>('feedbackProgress');

export interface FeedbackWorkflowInput {
  taskQueues?: ActivityTaskQueues;
  /** Whether JIRA issues and cases follow a change: switches only, never credentials. */
  tickets?: { jira: boolean; cases: boolean };
  /** Continue as new after this many requests (default 200), or sooner when Temporal asks. */
  requestsBeforeContinueAsNew?: number;
  /** Carried over a continue-as-new: requests received but not handled yet, in order. */
  pending?: FeedbackRequest[];
  handled?: number;
  continuedAsNew?: number;
}

/**
 * Takes analysts' corrections one at a time, in the order they arrived: applies each (moves
 * events, updates the weights the clusterer reads, edits techniques and the lookup table),
 * rewrites the changed campaigns, lets JIRA issues and cases follow, and stores a record of it.
 */
export async function feedbackWorkflow(input: FeedbackWorkflowInput): Promise<never> {
  const queue: FeedbackRequest[] = [...(input.pending ?? [])];
  const progress: FeedbackProgress = {
    handled: input.handled ?? 0,
    pending: queue.length,
    continuedAsNew: input.continuedAsNew ?? 0,
  };
  const enqueue = (request: FeedbackRequest): void => {
    queue.push(request);
    progress.pending = queue.length;
  };
  setHandler(feedbackSignal, enqueue);
  setHandler(cutEventsSignal, (r) => enqueue({ ...r, kind: 'cut' }));
  setHandler(hideEventsSignal, (r) => enqueue({ ...r, kind: 'hide' }));
  setHandler(editTechniquesSignal, (r) => enqueue({ ...r, kind: 'techniques' }));
  setHandler(feedbackProgressQuery, () => progress);

  const limit = input.requestsBeforeContinueAsNew ?? 200;
  let handledHere = 0;
  for (;;) {
    await condition(() => queue.length > 0);
    const request = queue.shift()!;
    progress.pending = queue.length;
    const status = await handleRequest(input, request);
    progress.handled++;
    progress.last = { id: request.id, status };
    handledHere++;
    if (handledHere >= limit || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      log.info('feedback workflow continuing as new', { handled: progress.handled });
      await continueAsNew<typeof feedbackWorkflow>({
        ...input,
        pending: queue,
        handled: progress.handled,
        continuedAsNew: progress.continuedAsNew + 1,
      });
    }
  }
}

/**
 * The record is the analyst's only trace of a request, and a workflow failing here would drop
 * the requests queued behind it: storing it retries for as long as the store stays away.
 */
function recordActivities(taskQueues: FeedbackWorkflowInput['taskQueues']) {
  return proxyActivities<PipelineActivities>({
    ...ticketActivityOptions,
    taskQueue: taskQueues?.io,
    retry: { ...ticketActivityOptions.retry, maximumAttempts: Number.POSITIVE_INFINITY },
  });
}

async function handleRequest(input: FeedbackWorkflowInput, request: FeedbackRequest) {
  const acts = ticketActivities(input.taskQueues);
  const { storeFeedbackRecord } = recordActivities(input.taskQueues);
  let applied: AppliedFeedback | undefined;
  try {
    applied = await acts.applyFeedback(request);
    const { status } = applied;
    if (status === 'duplicate') return 'duplicate';
    const { ticketInput, removed } = applied;
    const tickets = ticketInput ? await followTickets(input, request.id, ticketInput) : undefined;
    if (removed.length > 0) await acts.removeCampaigns({ ids: removed });
    await storeFeedbackRecord({ request, ...applied, status, tickets });
    log.info('feedback handled', { feedback: request.id, kind: request.kind, status });
    return status;
  } catch (err) {
    // Out of retries: the record says why (and what was applied), and later requests go on.
    await storeFeedbackRecord({
      request,
      status: 'failed',
      reason: (err as Error).message,
      ticketInput: applied?.ticketInput,
      removed: [],
      weightsChanged: applied?.weightsChanged ?? 0,
    });
    return 'failed';
  }
}

/** Rewrites the changed campaigns, then the JIRA and case steps for just those clusters. */
async function followTickets(
  input: FeedbackWorkflowInput,
  feedbackId: string,
  ticketInput: FeedbackTicketInput,
): Promise<Record<string, string>> {
  const acts = ticketActivities(input.taskQueues);
  const { run, enrichAlertInputKey, clusters } = ticketInput;
  const written = await acts.writeCampaigns({ run, enrichAlertInputKey, clusters });
  const outcome: Record<string, string> = {
    campaigns: `${written.created + written.updated} written`,
  };
  const common = { run, enrichAlertInputKey, taskQueues: input.taskQueues };
  const parent = `${workflowInfo().workflowId}/${feedbackId}`;
  const steps = [
    ['jira', input.tickets?.jira, jiraWorkflow],
    ['cases', input.tickets?.cases, casesWorkflow],
  ] as const;
  for (const [name, on, workflow] of steps) {
    if (!on) {
      outcome[name] = 'off';
      continue;
    }
    try {
      const result = await executeChild(workflow, {
        workflowId: `${parent}/${name}`,
        args: [common],
      });
      outcome[name] = `${result.updated} updated, ${result.created + result.replaced} created`;
    } catch (err) {
      // The campaigns changed either way; the record says which tickets did not follow.
      outcome[name] = `failed: ${(err as Error).message}`;
    }
  }
  return outcome;
}
