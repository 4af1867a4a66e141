import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { Config } from '../core/config.js';
import type { CutEvents, EditTechniques, HideEvents } from '../core/feedback-formats.js';
import {
  cutEventsSignal,
  editTechniquesSignal,
  feedbackWorkflowId,
  hideEventsSignal,
  type feedbackWorkflow,
  type FeedbackWorkflowInput,
} from '../workflows/feedback.js';

export type FeedbackAction =
  | ({ kind: 'cut' } & CutEvents)
  | ({ kind: 'hide' } & HideEvents)
  | ({ kind: 'techniques' } & EditTechniques);

/** What the FeedbackWorkflow starts with: queues and ticket switches, never credentials. */
export function feedbackInput(config: Config): FeedbackWorkflowInput {
  const tickets = config.pipeline.tickets;
  return {
    taskQueues: config.pipeline.taskQueues,
    tickets: { jira: Boolean(tickets?.jira), cases: Boolean(tickets?.cases) },
  };
}

/**
 * Hands an analyst's correction to the FeedbackWorkflow, starting it when it is not running
 * (signal-with-start), and returns the request's id: the key of its record once handled.
 */
export async function sendFeedback(
  client: Client,
  config: Config,
  action: FeedbackAction,
  options: { workflowId?: string; input?: FeedbackWorkflowInput } = {},
): Promise<string> {
  const id = randomUUID();
  const at = new Date().toISOString();
  const start = {
    workflowId: options.workflowId ?? feedbackWorkflowId,
    taskQueue: config.temporal.taskQueue,
    args: [options.input ?? feedbackInput(config)] as [FeedbackWorkflowInput],
  };
  const send = async <T>(signal: SignalDefinition<[T]>, arg: T): Promise<void> => {
    await client.workflow.signalWithStart<typeof feedbackWorkflow, [T]>('feedbackWorkflow', {
      ...start,
      signal,
      signalArgs: [arg],
    });
  };
  const envelope = { id, at };
  // The workflow's handler sets `kind` by signal; the copy sent along is the same value.
  if (action.kind === 'cut') await send(cutEventsSignal, { ...action, ...envelope });
  else if (action.kind === 'hide') await send(hideEventsSignal, { ...action, ...envelope });
  else await send(editTechniquesSignal, { ...action, ...envelope });
  return id;
}
