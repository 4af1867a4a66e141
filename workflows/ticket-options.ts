import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
import type { PipelineActivities } from '../activities/index.js';
import type { ActivityTaskQueues } from '../core/config.js';
import { dataActivityOptions } from './activity-options.js';

/**
 * JIRA and Kibana calls: short timeouts (one cluster per attempt), and enough attempts to sit
 * out a rate limit, whose Retry-After sets each delay (see activities/tickets/failures.ts).
 */
export const ticketActivityOptions: ActivityOptions = {
  ...dataActivityOptions,
  startToCloseTimeout: '5 minutes',
  retry: { ...dataActivityOptions.retry, maximumAttempts: 12, maximumInterval: '5 minutes' },
};

/** The ticketing activities, on the I/O queue when the run names one. */
export function ticketActivities(taskQueues: ActivityTaskQueues | undefined) {
  return proxyActivities<PipelineActivities>({
    ...ticketActivityOptions,
    taskQueue: taskQueues?.io,
  });
}

/** What the campaign, JIRA and case workflows take: keys and numbers, never credentials. */
export interface TicketWorkflowInput {
  run: string;
  enrichAlertInputKey: string;
  taskQueues?: ActivityTaskQueues;
  /** JIRA and cases also keep a ticket per flow of two or more clusters (TICKETS_PER_FLOW). */
  perFlow?: boolean;
  /**
   * Only clusters of at least this many alerts (EVENT_THRESHOLD) and tactics (TACTIC_THRESHOLD)
   * get a ticket. Absent (runs started before, feedback's changed campaigns): every cluster.
   */
  eventThreshold?: number;
  tacticThreshold?: number;
  /** Clusters per page of `listTicketClusterPage`; the activity's default when absent. */
  pageSize?: number;
}

/** The thresholds in the shape the activities take, when the input names both. */
export function thresholdsOf(input: TicketWorkflowInput) {
  const { eventThreshold, tacticThreshold } = input;
  return eventThreshold === undefined || tacticThreshold === undefined
    ? {}
    : { thresholds: { eventThreshold, tacticThreshold } };
}
