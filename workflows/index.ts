export { ingestWorkflow } from './ingest.js';
export type { IngestWorkflowInput, IngestResult } from './ingest.js';
export { flowWorkflow } from './flow.js';
export { progressQuery } from './progress.js';
export type { IngestProgress } from './progress.js';
export { splunkInputWorkflow, splunkProgressQuery } from './splunk-input.js';
export type { SplunkInputResult, SplunkInputWorkflowInput } from './splunk-input.js';
export { campaignWorkflow } from './campaign.js';
export type { CampaignResult, CampaignWorkflowInput } from './campaign.js';
export { jiraWorkflow } from './jira-issues.js';
export type { TicketStepResult } from './jira-issues.js';
export { casesWorkflow } from './cases.js';
export type { TicketsSummary } from './tickets.js';
export {
  feedbackWorkflow,
  feedbackWorkflowId,
  feedbackSignal,
  cutEventsSignal,
  hideEventsSignal,
  editTechniquesSignal,
  feedbackProgressQuery,
} from './feedback.js';
export type { FeedbackProgress, FeedbackWorkflowInput } from './feedback.js';
