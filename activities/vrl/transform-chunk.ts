import { getJson, putJson, type ObjectStore } from '../../core/store/index.js';
import { splunkInputKeys } from './keys.js';
import { mapRecords } from './map-records.js';
import type { VrlProgramSet } from './program-set.js';
import type { SplunkChunk } from './split-splunk-export.js';

export interface TransformChunkInput {
  inputName: string;
  chunkKey: string;
  chunkIndex: number;
  /** Force one program (by name) for every record instead of choosing by shape. */
  program?: string;
}

export interface TransformChunkResult {
  outputKey: string;
  mapped: number;
  failed: number;
  failedKey?: string;
  /** VRL executions used: 1 per program chain step when no record aborted the program. */
  executions: number;
}

/**
 * Maps one chunk to internal alerts. Unmappable records go to
 * `splunk_input/scratch/transformed_failed/<input name>/chunk-NNNNN.json` with the record, the
 * program and the reason; they never fail the chunk. Rerunning overwrites the same keys.
 */
export async function transformChunk(
  store: ObjectStore,
  programs: VrlProgramSet,
  input: TransformChunkInput,
): Promise<TransformChunkResult> {
  const keys = splunkInputKeys(input.inputName);
  const chunk = await getJson<SplunkChunk>(store, input.chunkKey);
  const { alerts, failures, stats } = mapRecords(programs, chunk.records, {
    inputKey: chunk.input_key,
    inputName: input.inputName,
    indexes: chunk.indexes,
    program: input.program,
  });
  const outputKey = keys.transformed(input.chunkIndex);
  await putJson(store, outputKey, alerts);
  const result: TransformChunkResult = {
    outputKey,
    mapped: alerts.length,
    failed: failures.length,
    executions: stats.executions,
  };
  const failedKey = keys.failedChunk(input.chunkIndex);
  if (failures.length > 0) {
    await putJson(store, failedKey, { input: chunk.input_key, chunk: input.chunkKey, failures });
    result.failedKey = failedKey;
  } else {
    // A retry that now maps everything must not leave an earlier attempt's failures behind.
    await store.delete(failedKey);
  }
  return result;
}
