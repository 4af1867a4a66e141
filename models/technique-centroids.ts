import type { SparseVector } from './technique-text-features.js';
import { parentTechnique } from './technique-index.js';

/**
 * One normalised mean vector per parent technique over every title tagged with it or one of its
 * sub-techniques. Neighbours answer well when a near-copy of a title was seen; the centroid
 * answers for titles whose words are spread over many differently worded rules of a technique.
 */
export interface TechniqueCentroids {
  /** Cosine similarity of the query to every parent technique it shares a term with. */
  similarities(query: SparseVector): Map<string, number>;
}

export function fitCentroids(
  vectors: readonly SparseVector[],
  labels: readonly (readonly string[])[],
): TechniqueCentroids {
  const sums = new Map<string, SparseVector>();
  vectors.forEach((vector, doc) => {
    for (const parent of new Set(labels[doc]!.map(parentTechnique))) {
      let sum = sums.get(parent);
      if (!sum) sums.set(parent, (sum = new Map()));
      for (const [term, w] of vector) sum.set(term, (sum.get(term) ?? 0) + w);
    }
  });
  const postings = new Map<string, { ids: string[]; weights: number[] }>();
  for (const [id, sum] of [...sums].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    let norm = 0;
    for (const w of sum.values()) norm += w * w;
    const scale = 1 / Math.sqrt(norm || 1);
    for (const [term, w] of sum) {
      let list = postings.get(term);
      if (!list) postings.set(term, (list = { ids: [], weights: [] }));
      list.ids.push(id);
      list.weights.push(w * scale);
    }
  }
  return {
    similarities(query) {
      const sims = new Map<string, number>();
      for (const [term, q] of query) {
        const list = postings.get(term);
        if (!list) continue;
        for (let k = 0; k < list.ids.length; k++) {
          const id = list.ids[k]!;
          sims.set(id, (sims.get(id) ?? 0) + q * list.weights[k]!);
        }
      }
      return sims;
    },
  };
}
