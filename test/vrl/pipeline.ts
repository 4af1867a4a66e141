import { readFileSync } from 'node:fs';
import {
  loadVrlPrograms,
  mergeTransformed,
  splitSplunkExport,
  transformChunk,
  type VrlProgramSet,
} from '../../activities/vrl/index.js';
import type { LocalObjectStore } from '../../core/store/index.js';

let programs: VrlProgramSet | undefined;

export interface PipelineCounts {
  records: number;
  splitQuarantined: number;
  mapped: number;
  failed: number;
  merged: number;
  reasons: Map<string, number>;
}

/** Runs split, transform and merge as the workflow will, and counts where each record went. */
export async function runSplunkInput(
  store: LocalObjectStore,
  file: string,
  name: string,
  chunkSize = 1000,
): Promise<PipelineCounts> {
  programs ??= loadVrlPrograms();
  const inputKey = `splunk_input/input/${name}`;
  await store.put(inputKey, readFileSync(file));
  const split = await splitSplunkExport(store, { inputKey, chunkSize });
  const reasons = new Map<string, number>();
  const outputKeys: string[] = [];
  let mapped = 0;
  let failed = 0;
  for (const [chunkIndex, chunkKey] of split.chunkKeys.entries()) {
    const inputName = split.inputName;
    const r = await transformChunk(store, programs, { inputName, chunkKey, chunkIndex });
    outputKeys.push(r.outputKey);
    mapped += r.mapped;
    failed += r.failed;
    if (r.failedKey) {
      const body = JSON.parse((await store.get(r.failedKey)).toString('utf8')) as {
        failures: { reason: string; program: string; record: unknown }[];
      };
      for (const f of body.failures) {
        if (!f.reason || f.record === undefined) throw new Error(`no reason: ${f.program}`);
        reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
      }
    }
  }
  const merge = await mergeTransformed(store, { inputName: split.inputName, outputKeys });
  return {
    records: split.records,
    splitQuarantined: split.quarantined,
    mapped,
    failed,
    merged: merge.alerts,
    reasons,
  };
}
