import type { AttackCatalog } from '../core/attack.js';
import type { TechniqueTextModel } from './technique-text-model.js';
import type { TechniqueModelInput, TechniqueModelOutput } from '../core/formats.js';
import {
  contentTokens,
  parentTechnique,
  techniqueIndex,
  tokenize,
  type PhraseEntry,
  type TechniqueIndex,
} from './technique-index.js';

export { parentTechnique } from './technique-index.js';

const maxPredictions = 3;
const explicitScore = 1;
/** A sub-technique id the catalogue does not know yet still names its parent. */
const parentOfUnknownScore = 0.95;
/** Below this share of a name's (idf-weighted) words, shared words are coincidence. */
const minCoverage = 0.6;
const overlapScale = 0.8;
const minSharedTokens = 2;
/** Weaker evidence than this is noise and would only crowd out nothing. */
const minReportedScore = 0.2;
const minTextReportedScore = 0.05;

const explicitId = /\bT\d{4}(?:\.\d{3})?\b/gi;

type Scores = Map<string, number>;

const raise = (scores: Scores, id: string, score: number): void => {
  if (score > (scores.get(id) ?? 0)) scores.set(id, score);
};

/** What name evidence is worth beside a trained text model; measured by k-fold evaluation. */
const namedEvidenceShare = 0.3;
/** How many text-model candidates are weighed against the catalogue evidence. */
const textCandidates = 5;

/**
 * Predicts ATT&CK techniques for each distinct alert name, best first. Evidence, strongest first:
 * an explicit technique id, a technique's name as a phrase, then shared words with a name. A
 * trained text model (optional: the product works without one) adds what similar labelled rule
 * titles were tagged with; agreeing evidence adds up as independent chances (noisy-or).
 */
export function classifyTechniques(
  input: TechniqueModelInput,
  attack: AttackCatalog,
  textModel?: TechniqueTextModel,
): TechniqueModelOutput {
  const index = techniqueIndex(attack);
  const validateIds = attack.techniques.size > 0;
  const predictions = [...new Set(input.names)].map((name) => {
    const scores: Scores = new Map();
    explicitEvidence(name, index, validateIds, scores);
    const tokens = tokenize(name);
    const named: Scores = new Map();
    phraseEvidence(tokens, index, named);
    overlapEvidence(tokens, index, named);
    // Beside a trained model, a technique name in a title is a hint rather than an answer: rule
    // titles name techniques loosely ("Suspicious PowerShell" is rarely about profiles).
    const namedShare = textModel ? namedEvidenceShare : 1;
    for (const [id, score] of named) raise(scores, id, score * namedShare);
    if (textModel) textEvidence(name, textModel, validateIds ? index : undefined, scores);
    // Text-model scores are vote shares: a third choice at 0.1 is still worth showing.
    return { name, techniques: best(scores, textModel ? minTextReportedScore : minReportedScore) };
  });
  return { predictions };
}

function explicitEvidence(text: string, index: TechniqueIndex, validate: boolean, scores: Scores) {
  for (const match of text.matchAll(explicitId)) {
    const id = match[0].toUpperCase();
    // With no catalogue there is nothing to check an id against; its syntax has to do.
    const parent = parentTechnique(id);
    if (!validate || index.live.has(id)) raise(scores, id, explicitScore);
    else if (index.live.has(parent)) raise(scores, parent, parentOfUnknownScore);
  }
}

function textEvidence(
  name: string,
  model: TechniqueTextModel,
  index: TechniqueIndex | undefined,
  scores: Scores,
) {
  for (const { id, score } of model.predict(name, textCandidates)) {
    // A model trained on an older catalogue may know ids this one has dropped.
    if (index && !index.live.has(id)) continue;
    scores.set(id, 1 - (1 - (scores.get(id) ?? 0)) * (1 - score));
  }
}

/** Whole-phrase matches; a phrase inside a longer matched phrase is the longer one's word. */
function phraseEvidence(tokens: string[], index: TechniqueIndex, scores: Scores) {
  const matches: { start: number; end: number; entry: PhraseEntry }[] = [];
  tokens.forEach((token, start) => {
    for (const entry of index.phrasesByFirst.get(token) ?? []) {
      const end = start + entry.tokens.length;
      if (end > tokens.length) continue;
      if (entry.tokens.every((t, k) => tokens[start + k] === t)) {
        matches.push({ start, end, entry });
      }
    }
  });
  matches.sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: typeof matches = [];
  for (const m of matches) {
    const inside = (k: (typeof kept)[number]) =>
      k.start <= m.start && m.end <= k.end && k.end - k.start > m.end - m.start;
    if (kept.some(inside)) continue;
    kept.push(m);
    for (const id of m.entry.ids) raise(scores, id, m.entry.score);
  }
}

/** Shared words, weighted by how rare each word is among technique names. */
function overlapEvidence(tokens: string[], index: TechniqueIndex, scores: Scores) {
  const words = contentTokens(tokens);
  const present = new Set(words);
  const shared = new Map<string, { weight: number; count: number }>();
  for (const token of words) {
    const weight = index.idf.get(token) ?? 0;
    for (const id of index.postings.get(token) ?? []) {
      const acc = shared.get(id) ?? { weight: 0, count: 0 };
      acc.weight += weight;
      acc.count += 1;
      shared.set(id, acc);
    }
  }
  for (const [id, acc] of shared) {
    if (acc.count < minSharedTokens) continue;
    // Words shared only with the parent's name are evidence for the parent, not for this child.
    const own = index.ownTokens.get(id);
    if (own && !own.some((t) => present.has(t))) continue;
    const coverage = acc.weight / (index.nameWeight.get(id) ?? Infinity);
    if (coverage >= minCoverage) raise(scores, id, round(overlapScale * Math.min(1, coverage)));
  }
}

/** Highest score first; on a tie the more specific sub-technique, then the lower id. */
function best(scores: Scores, minScore: number): { id: string; score: number }[] {
  return [...scores]
    .map(([id, score]) => ({ id, score: round(score) }))
    .filter((t) => t.score >= minScore)
    .sort(
      (a, b) =>
        b.score - a.score ||
        Number(b.id.includes('.')) - Number(a.id.includes('.')) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .slice(0, maxPredictions);
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;
