import { heartbeat, log } from '@temporalio/activity';
import { badInput, failureTypes } from '../core/failures.js';
import { runHash } from '../core/run-hash.js';
import type { ActivityDeps } from './deps.js';
import {
  mergeTransformed,
  splitSplunkExport,
  SplunkExportError,
  transformChunk,
  type SplitResult,
  type TransformChunkResult,
} from './vrl/index.js';

export interface MergedSplunkInput {
  inputKey: string;
  alerts: number;
  /** The merged file's run hash, so the run it starts has the same id whoever starts it. */
  runHash: string;
}

/**
 * The splunk input and VRL transform steps as activities: split a raw export into chunks, map
 * each chunk with VRL, and merge the results into `input/<name>.json`.
 */
export function makeSplunkInputActivities({ store, vrl, config }: ActivityDeps) {
  return {
    async splitSplunkInput(args: { inputKey: string; chunkSize: number }): Promise<SplitResult> {
      try {
        const result = await splitSplunkExport(store, {
          inputKey: args.inputKey,
          chunkSize: args.chunkSize,
          maxRecordBytes: config.vrl.maxRecordBytes,
          onProgress: (progress) => heartbeat(progress),
        });
        log.info('splunk export split', {
          inputKey: args.inputKey,
          records: result.records,
          chunks: result.chunkKeys.length,
          quarantined: result.quarantined,
        });
        return result;
      } catch (err) {
        if (err instanceof SplunkExportError) {
          throw badInput(failureTypes.invalidSplunkExport, err.message, { key: args.inputKey });
        }
        throw err;
      }
    },

    async transformSplunkChunk(args: {
      inputName: string;
      chunkKey: string;
      chunkIndex: number;
    }): Promise<TransformChunkResult> {
      const result = await transformChunk(store, vrl, args);
      log.info('chunk mapped with VRL', {
        inputName: args.inputName,
        chunk: args.chunkIndex,
        mapped: result.mapped,
        failed: result.failed,
        vrlExecutions: result.executions,
      });
      return result;
    },

    async mergeSplunkChunks(args: {
      inputName: string;
      outputKeys: string[];
    }): Promise<MergedSplunkInput> {
      const merged = await mergeTransformed(store, args);
      const hash = runHash(merged.inputKey, await store.get(merged.inputKey));
      log.info('transformed chunks merged', { inputKey: merged.inputKey, alerts: merged.alerts });
      return { ...merged, runHash: hash };
    },
  };
}
