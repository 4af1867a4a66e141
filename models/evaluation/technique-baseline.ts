import { contentTokens, tokenize } from '../technique-index.js';
import type { LabelledTitle } from '../technique-text-model.js';
import type { TechniquePredictor } from '../technique-training.js';

/**
 * The reference point the text model has to beat: word TF-IDF cosine nearest neighbours, taking
 * the techniques of the closest title, then of the next closest, in order.
 */
export function fitNearestTitleBaseline(train: readonly LabelledTitle[]): TechniquePredictor {
  const docs = train.map((t) => contentTokens(tokenize(t.name)));
  const df = new Map<string, number>();
  for (const doc of docs) for (const w of doc) df.set(w, (df.get(w) ?? 0) + 1);
  const idf = (w: string) => Math.log((1 + docs.length) / (1 + (df.get(w) ?? 0))) + 1;
  const vector = (words: string[]) => {
    const v = new Map(words.map((w) => [w, idf(w)]));
    const norm = Math.sqrt([...v.values()].reduce((s, x) => s + x * x, 0)) || 1;
    for (const [w, x] of v) v.set(w, x / norm);
    return v;
  };
  const vectors = docs.map(vector);
  return (name) => {
    const query = vector(contentTokens(tokenize(name)));
    const ranked = vectors
      .map((v, k) => {
        let sim = 0;
        for (const [w, x] of query) sim += x * (v.get(w) ?? 0);
        return { k, sim };
      })
      .filter((r) => r.sim > 0)
      .sort((a, b) => b.sim - a.sim || a.k - b.k)
      .slice(0, 10);
    return [...new Set(ranked.flatMap((r) => train[r.k]!.techniques))];
  };
}
