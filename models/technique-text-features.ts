import { contentTokens, tokenize } from './technique-index.js';

/** A sparse, L2-normalised feature vector: feature name -> weight. */
export type SparseVector = Map<string, number>;

export interface FeatureSettings {
  /** Share of the vector given to whole words and word pairs; the rest goes to character grams. */
  wordWeight: number;
  minCharGram: number;
  maxCharGram: number;
}

export const defaultFeatureSettings: FeatureSettings = {
  wordWeight: 0.5,
  minCharGram: 3,
  maxCharGram: 5,
};

/**
 * Raw term counts of a rule title. Words carry the meaning; word pairs keep "remote thread" apart
 * from "thread" and "remote"; character grams within words tie "powershell" to "pwsh.exe"-like
 * spellings and inflections the word tokens miss.
 */
export function termCounts(text: string, settings: FeatureSettings): [SparseVector, SparseVector] {
  const tokens = tokenize(text);
  const words: SparseVector = new Map();
  const add = (map: SparseVector, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  for (const word of contentTokens(tokens)) add(words, `w:${word}`);
  for (let k = 1; k < tokens.length; k++) add(words, `b:${tokens[k - 1]} ${tokens[k]}`);
  const chars: SparseVector = new Map();
  for (const token of tokens) {
    const padded = `_${token}_`;
    for (let n = settings.minCharGram; n <= settings.maxCharGram; n++) {
      for (let at = 0; at + n <= padded.length; at++) add(chars, `c:${padded.slice(at, at + n)}`);
    }
  }
  return [words, chars];
}

/**
 * Sublinear tf times idf, each group normalised on its own and then mixed, so that long titles
 * with many character grams do not drown out the words.
 */
export function weightVector(
  [words, chars]: [SparseVector, SparseVector],
  idf: ReadonlyMap<string, number>,
  settings: FeatureSettings,
): SparseVector {
  const out: SparseVector = new Map();
  const groups: [SparseVector, number][] = [
    [words, Math.sqrt(settings.wordWeight)],
    [chars, Math.sqrt(1 - settings.wordWeight)],
  ];
  for (const [counts, share] of groups) {
    const weighted: [string, number][] = [];
    let norm = 0;
    for (const [term, count] of counts) {
      const w = (1 + Math.log(count)) * (idf.get(term) ?? 0);
      if (w <= 0) continue;
      weighted.push([term, w]);
      norm += w * w;
    }
    if (norm === 0) continue;
    const scale = share / Math.sqrt(norm);
    for (const [term, w] of weighted) out.set(term, w * scale);
  }
  return out;
}

/** Smoothed inverse document frequency over the training titles. */
export function inverseDocumentFrequency(
  documents: readonly [SparseVector, SparseVector][],
): Map<string, number> {
  const df = new Map<string, number>();
  for (const [words, chars] of documents) {
    for (const term of words.keys()) df.set(term, (df.get(term) ?? 0) + 1);
    for (const term of chars.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  }
  const n = documents.length;
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, Math.log((1 + n) / (1 + count)) + 1);
  return idf;
}
