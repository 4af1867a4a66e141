import { log, heartbeat } from '@temporalio/activity';
import {
  techniqueModelOutputSchema,
  weightsSchema,
  type Alert,
  type AttributeWeights,
  type EnrichedAlert,
} from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { feedbackWeightsKey, runKeys, techniqueLookupKey } from '../core/keys.js';
import { getJson, putJson, type ObjectStore } from '../core/store/index.js';
import type { ActivityDeps } from './deps.js';
import type { TechniqueLookup } from './prepare-input.js';

/** Predictions below this score are not trusted enough to tag an alert. */
export const techniqueScoreThreshold = 0.5;

export interface ProcessEnrichedArgs {
  run: string;
  chunks: number;
  /** Per chunk: the technique model's answer, or null when the chunk needed none. */
  techniqueOutputs: (string | null)[];
  clusterBatchSize: number;
}

export interface ProcessedEnriched {
  alerts: number;
  classifiedNames: number;
  taggedAlerts: number;
  clusterBatches: number;
}

/** Reads a model's technique answers as name -> technique ids. */
export async function readTechniqueAnswers(
  store: ObjectStore,
  keys: (string | null)[],
): Promise<Map<string, string[]>> {
  const answers = new Map<string, string[]>();
  for (const key of keys) {
    if (!key) continue;
    const parsed = techniqueModelOutputSchema.safeParse(await getJson(store, key));
    if (!parsed.success) {
      throw badInput(
        failureTypes.invalidModelOutput,
        `${key}: ${parsed.error.issues[0]?.message}`,
        { key },
      );
    }
    for (const p of parsed.data.predictions) {
      answers.set(
        p.name,
        p.techniques.filter((t) => t.score >= techniqueScoreThreshold).map((t) => t.id),
      );
    }
  }
  return answers;
}

/**
 * The "process enriched" step: merges the model's techniques into the alerts, settles tactics,
 * snapshots the feedback weights for this run, and lays the alerts out in time order as the
 * clustering batches.
 */
export function makeProcessEnriched({ store, attack }: ActivityDeps) {
  return async function processEnriched(args: ProcessEnrichedArgs): Promise<ProcessedEnriched> {
    const keys = runKeys(args.run);
    const answers = await readTechniqueAnswers(store, args.techniqueOutputs);
    const all: EnrichedAlert[] = [];
    let taggedAlerts = 0;
    for (let n = 0; n < args.chunks; n++) {
      const chunk = await getJson<Alert[]>(store, keys.chunk(n));
      const enriched = chunk.map((alert): EnrichedAlert => {
        const tech = alert.tech.length > 0 ? alert.tech : (answers.get(alert.name) ?? []);
        if (tech.length > 0) taggedAlerts++;
        return { ...alert, tech, tactics: attack.tacticsOfAll(tech) };
      });
      await putJson(store, keys.enrichedChunk(n), enriched);
      all.push(...enriched);
      heartbeat({ chunk: n });
    }
    all.sort((a, b) => a.time - b.time || a.i - b.i);
    let batches = 0;
    for (let start = 0; start < all.length; start += args.clusterBatchSize, batches++) {
      await putJson(
        store,
        keys.clusterSlice(batches),
        all.slice(start, start + args.clusterBatchSize),
      );
    }
    await putJson(store, `${keys.scratch}/weights.json`, await readWeights(store));
    log.info('techniques merged', {
      run: args.run,
      alerts: all.length,
      classifiedNames: answers.size,
      taggedAlerts,
      clusterBatches: batches,
    });
    return {
      alerts: all.length,
      classifiedNames: answers.size,
      taggedAlerts,
      clusterBatches: batches,
    };
  };
}

export async function readWeights(store: ObjectStore): Promise<AttributeWeights> {
  const raw = await store.getIfExists(feedbackWeightsKey);
  if (!raw) return { node: {}, event: {} };
  const parsed = weightsSchema.safeParse(JSON.parse(raw.toString('utf8')));
  if (!parsed.success) {
    throw badInput(
      failureTypes.invalidInputFile,
      `${feedbackWeightsKey}: ${parsed.error.issues[0]?.message}`,
    );
  }
  return parsed.data;
}

/** The "update lookup table" step: remembers newly classified names for later runs. */
export function makeUpdateLookupTable({ store }: ActivityDeps) {
  return async function updateLookupTable(args: {
    run: string;
    techniqueOutputs: (string | null)[];
  }): Promise<{ added: number; size: number }> {
    const answers = await readTechniqueAnswers(store, args.techniqueOutputs);
    const table = (await store.getIfExists(techniqueLookupKey))
      ? await getJson<TechniqueLookup>(store, techniqueLookupKey)
      : {};
    let added = 0;
    for (const [name, techniques] of answers) {
      if (techniques.length > 0 && !(name in table)) {
        table[name] = techniques;
        added++;
      }
    }
    if (added > 0) await putJson(store, techniqueLookupKey, table);
    log.info('technique lookup table updated', {
      run: args.run,
      added,
      size: Object.keys(table).length,
    });
    return { added, size: Object.keys(table).length };
  };
}
