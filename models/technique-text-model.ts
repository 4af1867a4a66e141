import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import {
  defaultFeatureSettings,
  inverseDocumentFrequency,
  termCounts,
  weightVector,
  type SparseVector,
} from './technique-text-features.js';
import { fitCentroids } from './technique-centroids.js';
import { parentTechnique } from './technique-index.js';

export const techniqueModelFormat = 'technique-text-model';

const settingsSchema = z.object({
  wordWeight: z.number().min(0).max(1),
  minCharGram: z.number().int().positive(),
  maxCharGram: z.number().int().positive(),
  /** How many of the most similar titles vote. */
  neighbours: z.number().int().positive(),
  /** Votes count similarity to this power: close titles count far more than loose ones. */
  sharpness: z.number().positive(),
  /** Below this similarity to its nearest title, a name is unlike anything seen: scores shrink. */
  confidentSimilarity: z.number().positive().max(1),
  /** Share of a technique's score that comes from its centroid rather than neighbours' votes. */
  centroidWeight: z.number().min(0).max(1).default(0),
  /** Centroid similarities are raised to this power before they are shared out. */
  centroidSharpness: z.number().positive().default(1),
});
export type TextModelSettings = z.infer<typeof settingsSchema>;

export const defaultTextModelSettings: TextModelSettings = {
  ...defaultFeatureSettings,
  neighbours: 40,
  sharpness: 3,
  confidentSimilarity: 0.5,
  centroidWeight: 0.2,
  centroidSharpness: 4,
};

export const labelledTitleSchema = z.object({
  name: z.string().min(1),
  techniques: z.array(z.string().regex(/^T\d{4}(\.\d{3})?$/)).min(1),
});
export type LabelledTitle = z.infer<typeof labelledTitleSchema>;

/** The model file: the labelled titles and the settings; vectors are rebuilt when loaded. */
export const techniqueModelFileSchema = z.object({
  format: z.literal(techniqueModelFormat),
  version: z.literal(1),
  trainedFrom: z.string(),
  settings: settingsSchema,
  examples: z.array(labelledTitleSchema),
});
export type TechniqueModelFile = z.infer<typeof techniqueModelFileSchema>;

/** A fitted nearest-neighbour model over TF-IDF vectors of rule titles. */
export interface TechniqueTextModel {
  readonly settings: TextModelSettings;
  readonly size: number;
  predict(name: string, limit: number): { id: string; score: number }[];
}

export function fitTextModel(
  examples: readonly LabelledTitle[],
  settings: TextModelSettings = defaultTextModelSettings,
): TechniqueTextModel {
  const counts = examples.map((e) => termCounts(e.name, settings));
  const idf = inverseDocumentFrequency(counts);
  const postings = new Map<string, { docs: number[]; weights: number[] }>();
  counts.forEach((c, doc) => {
    for (const [term, weight] of weightVector(c, idf, settings)) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { docs: [], weights: [] }));
      list.docs.push(doc);
      list.weights.push(weight);
    }
  });
  const labels = examples.map((e) => [...new Set(e.techniques)]);
  const centroids =
    settings.centroidWeight > 0
      ? fitCentroids(
          counts.map((c) => weightVector(c, idf, settings)),
          labels,
        )
      : undefined;

  const similarities = (query: SparseVector): Float64Array => {
    const sims = new Float64Array(examples.length);
    for (const [term, q] of query) {
      const list = postings.get(term);
      if (!list) continue;
      for (let k = 0; k < list.docs.length; k++) sims[list.docs[k]!]! += q * list.weights[k]!;
    }
    return sims;
  };

  return {
    settings,
    size: examples.length,
    predict(name, limit) {
      const query = weightVector(termCounts(name, settings), idf, settings);
      const sims = similarities(query);
      const nearest = topIndices(sims, settings.neighbours);
      const best = nearest.length > 0 ? sims[nearest[0]!]! : 0;
      if (best <= 0) return [];
      // Votes are pooled per parent technique: titles tagged T1059 and T1059.001 agree on
      // T1059. A sub-technique speaks for the group when it holds most of the group's vote.
      const groups = new Map<string, { vote: number; ids: Map<string, number> }>();
      let total = 0;
      for (const doc of nearest) {
        const vote = sims[doc]! ** settings.sharpness;
        total += vote;
        const seen = new Set<string>();
        for (const id of labels[doc]!) {
          const parent = parentTechnique(id);
          let group = groups.get(parent);
          if (!group) groups.set(parent, (group = { vote: 0, ids: new Map() }));
          if (!seen.has(parent)) group.vote += vote;
          seen.add(parent);
          group.ids.set(id, (group.ids.get(id) ?? 0) + vote);
        }
      }
      const confidence = Math.min(1, best / settings.confidentSimilarity);
      const central = centroidShares(centroids?.similarities(query), settings.centroidSharpness);
      const c = central.size > 0 ? settings.centroidWeight : 0;
      for (const parent of central.keys()) {
        if (!groups.has(parent)) groups.set(parent, { vote: 0, ids: new Map() });
      }
      return [...groups]
        .map(([parent, group]) => ({
          id: representative(parent, group.ids, group.vote),
          score: ((1 - c) * (group.vote / total) + c * (central.get(parent) ?? 0)) * confidence,
        }))
        .sort((a, b) => b.score - a.score || bySpecificity(a.id, b.id))
        .slice(0, limit);
    },
  };
}

/** Centroid similarities as shares summing to one, sharpened so the closest stand out. */
function centroidShares(sims: Map<string, number> | undefined, sharpness: number) {
  const shares = new Map<string, number>();
  if (!sims) return shares;
  let total = 0;
  for (const [id, sim] of sims) {
    if (sim <= 0) continue;
    const share = sim ** sharpness;
    shares.set(id, share);
    total += share;
  }
  for (const [id, share] of shares) shares.set(id, share / total);
  return shares;
}

/** The group's most-voted sub-technique when it holds most of the vote, else the parent. */
function representative(parent: string, ids: Map<string, number>, groupVote: number): string {
  let best = parent;
  let bestVote = 0;
  for (const [id, vote] of ids) {
    if (id !== parent && (vote > bestVote || (vote === bestVote && id < best))) {
      best = id;
      bestVote = vote;
    }
  }
  return bestVote > groupVote / 2 ? best : parent;
}

/** On equal votes the sub-technique says more than its parent; then the lower id, for stability. */
function bySpecificity(a: string, b: string): number {
  return Number(b.includes('.')) - Number(a.includes('.')) || (a < b ? -1 : a > b ? 1 : 0);
}

/** The indices of the k largest positive values, largest first (ties: lower index first). */
function topIndices(values: Float64Array, k: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v <= 0 || (top.length === k && v <= values[top[k - 1]!]!)) continue;
    let at = top.length;
    while (at > 0 && values[top[at - 1]!]! < v) at--;
    top.splice(at, 0, i);
    if (top.length > k) top.pop();
  }
  return top;
}

/** Reads and fits a model file; a file that is not a technique model is refused with the reason. */
export async function loadTechniqueModel(path: string): Promise<TechniqueTextModel> {
  const parsed = techniqueModelFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `technique model ${path}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`,
    );
  }
  return fitTextModel(parsed.data.examples, parsed.data.settings);
}
