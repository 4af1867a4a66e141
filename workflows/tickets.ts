import { executeChild, log, workflowInfo } from '@temporalio/workflow';
import type { ActivityTaskQueues, TicketSettings } from '../core/config.js';
import { campaignWorkflow, type CampaignResult } from './campaign.js';
import { casesWorkflow, type CaseStepResult } from './cases.js';
import { jiraWorkflow, type TicketStepResult } from './jira-issues.js';

/** What each ticketing step did in a run; `off` when it is not configured. */
export interface TicketsSummary {
  campaigns: CampaignResult | 'off';
  jira: TicketStepResult | 'off';
  cases: CaseStepResult | 'off';
}

/**
 * Starts the enabled ticketing steps as child workflows with ids derived from the parent's, so
 * a retried or replayed parent never starts a second one. They run side by side; a failure of
 * one is raised only after the others finished, so that it does not cut them short.
 */
export async function runTicketSteps(
  run: string,
  enrichAlertInputKey: string,
  settings: TicketSettings,
  taskQueues: ActivityTaskQueues | undefined,
): Promise<TicketsSummary> {
  const parent = workflowInfo().workflowId;
  const common = { run, enrichAlertInputKey, taskQueues };
  // Flow tickets added only when on, so the children's input stays as it was without them.
  const ticketInput = {
    ...common,
    ...thresholdsOf(settings),
    ...(settings.perFlow ? { perFlow: true } : {}),
  };
  const off = Promise.resolve('off' as const);
  const steps = await Promise.allSettled([
    settings.campaigns
      ? executeChild(campaignWorkflow, {
          workflowId: `${parent}/campaign`,
          args: [{ ...common, ...thresholdsOf(settings) }],
        })
      : off,
    settings.jira
      ? executeChild(jiraWorkflow, { workflowId: `${parent}/jira`, args: [ticketInput] })
      : off,
    settings.cases
      ? executeChild(casesWorkflow, { workflowId: `${parent}/cases`, args: [ticketInput] })
      : off,
  ]);
  const failed = steps.find((s) => s.status === 'rejected');
  if (failed) throw failed.reason;
  const value = <T>(s: PromiseSettledResult<T>): T => (s as PromiseFulfilledResult<T>).value;
  const summary: TicketsSummary = {
    campaigns: value(steps[0]),
    jira: value(steps[1]),
    cases: value(steps[2]),
  };
  log.info('ticketing steps finished', {
    run,
    off: Object.entries(summary)
      .filter(([, v]) => v === 'off')
      .map(([k]) => k),
  });
  return summary;
}

const thresholdsOf = (s: TicketSettings) => ({
  eventThreshold: s.eventThreshold,
  tacticThreshold: s.tacticThreshold,
});
