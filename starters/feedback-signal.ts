import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import type {
  CutEvents,
  EditTechniques,
  FeedbackRequest,
  HideEvents,
} from '../core/feedback-formats.js';
import {
  feedbackSignal,
  feedbackWorkflowId,
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
  const request: FeedbackRequest = { ...action, id, at: new Date().toISOString() };
  await client.workflow.signalWithStart<typeof feedbackWorkflow, [FeedbackRequest]>(
    'feedbackWorkflow',
    {
      workflowId: options.workflowId ?? feedbackWorkflowId,
      taskQueue: config.temporal.taskQueue,
      args: [options.input ?? feedbackInput(config)],
      signal: feedbackSignal,
      signalArgs: [request],
    },
  );
  return id;
}
