import { log } from '@temporalio/activity';
import {
  clusterModelOutputSchema,
  type AttributeWeights,
  type ClusterModelInput,
  type ClusterModelOutput,
  type EnrichedAlert,
  type NodeFeatures,
} from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { modelInputKey, runKeys } from '../core/keys.js';
import { getJson, putJson, type ObjectStore } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';

export interface BuildClusterInputArgs {
  run: string;
  batch: number;
  totalBatches: number;
  /** The previous batch's answer, whose state this batch carries on; null for the first. */
  previousOutputKey: string | null;
  windowSeconds: number;
}

export type ClusterBatchStep = { done: true } | { done: false; inputKey: string };

export async function readClusterOutput(
  store: ObjectStore,
  key: string,
): Promise<ClusterModelOutput> {
  const parsed = clusterModelOutputSchema.safeParse(await getJson(store, key));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(
      failureTypes.invalidModelOutput,
      `${key}: field "${issue?.path.join('.')}": ${issue?.message}`,
      { key },
    );
  }
  return parsed.data;
}

/**
 * Builds the clustering model's input for one batch, or says that the last answer asked for no
 * further batch.
 */
export function makeBuildClusterInput({ store }: ActivityDeps) {
  return async function buildClusterInput(args: BuildClusterInputArgs): Promise<ClusterBatchStep> {
    const keys = runKeys(args.run);
    let state: ClusterModelInput['state'] = null;
    if (args.previousOutputKey) {
      const previous = await readClusterOutput(store, args.previousOutputKey);
      if (!previous.nextBatch) return { done: true };
      state = previous.state;
    }
    if (args.batch >= args.totalBatches) return { done: true };
    const alerts = await getJson<EnrichedAlert[]>(store, keys.clusterSlice(args.batch));
    const input: ClusterModelInput = {
      batch: { index: args.batch, total: args.totalBatches },
      params: { windowSeconds: args.windowSeconds },
      weights: await getJson<AttributeWeights>(store, `${keys.scratch}/weights.json`),
      nodeFeature: await getJson<NodeFeatures>(store, keys.nodeFeature),
      alerts: alerts.map(({ i, time, src, dst, tech, tactics, features }) => ({
        i,
        time,
        src,
        dst,
        tech,
        tactics,
        features,
      })),
      state,
    };
    const inputKey = modelInputKey(keys.clusterInputPrefix(args.batch));
    await putJson(store, inputKey, input);
    log.info('cluster batch input built', {
      run: args.run,
      batch: args.batch,
      of: args.totalBatches,
      alerts: alerts.length,
      openClusters: state?.open.length ?? 0,
    });
    return { done: false, inputKey };
  };
}
