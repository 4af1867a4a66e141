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
    // Each alert is kept as its JSON text with its sort key, not as an object: a third of the
    // memory, and each alert is turned into text once for both files it goes to.
    const texts: string[] = [];
    const times: number[] = [];
    const numbers: number[] = [];
    let taggedAlerts = 0;
    for (let n = 0; n < args.chunks; n++) {
      const chunk = await getJson<Alert[]>(store, keys.chunk(n));
      const first = texts.length;
      for (const alert of chunk) {
        const tech = alert.tech.length > 0 ? alert.tech : (answers.get(alert.name) ?? []);
        if (tech.length > 0) taggedAlerts++;
        const enriched: EnrichedAlert = { ...alert, tech, tactics: attack.tacticsOfAll(tech) };
        texts.push(JSON.stringify(enriched));
        times.push(alert.time);
        numbers.push(alert.i);
      }
      await store.put(keys.enrichedChunk(n), `[${texts.slice(first).join(',')}]`);
      heartbeat({ chunk: n });
    }
    const order = Uint32Array.from(texts.keys()).sort(
      (a, b) => times[a]! - times[b]! || numbers[a]! - numbers[b]!,
    );
    let batches = 0;
    for (let start = 0; start < order.length; start += args.clusterBatchSize, batches++) {
      const slice = order.subarray(start, start + args.clusterBatchSize);
      await store.put(
        keys.clusterSlice(batches),
        `[${Array.from(slice, (k) => texts[k]).join(',')}]`,
      );
    }
    await putJson(store, `${keys.scratch}/weights.json`, await readWeights(store));
    log.info('techniques merged', {
      run: args.run,
      alerts: texts.length,
      classifiedNames: answers.size,
      taggedAlerts,
      clusterBatches: batches,
    });
    return {
      alerts: texts.length,
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
