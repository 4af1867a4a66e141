export { ingestWorkflow } from './ingest.js';
export type { IngestWorkflowInput, IngestResult } from './ingest.js';
export { flowWorkflow } from './flow.js';
export { progressQuery } from './progress.js';
export type { IngestProgress } from './progress.js';
