export { ingestWorkflow } from './ingest.js';
export type { IngestWorkflowInput, IngestResult } from './ingest.js';
export { flowWorkflow } from './flow.js';
export { progressQuery } from './progress.js';
export type { IngestProgress } from './progress.js';
export { splunkInputWorkflow, splunkProgressQuery } from './splunk-input.js';
export type { SplunkInputResult, SplunkInputWorkflowInput } from './splunk-input.js';
