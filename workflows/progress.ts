import { defineQuery } from '@temporalio/workflow';

export type IngestStage =
  | 'preparing'
  | 'classifying'
  | 'merging'
  | 'clustering'
  | 'settling'
  | 'flows'
  | 'tickets'
  | 'done';

/** What the `progress` query answers: enough for a status line or a progress bar. */
export interface IngestProgress {
  run: string;
  inputKey: string;
  stage: IngestStage;
  alerts: number;
  rejected: number;
  chunks: { done: number; total: number };
  clusterBatches: { done: number; total: number };
  clusters: number;
  flows: number;
  continuedAsNew: number;
}

export const progressQuery = defineQuery<IngestProgress>('progress');
