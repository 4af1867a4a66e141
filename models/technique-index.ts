import type { AttackCatalog, Technique } from '../core/attack.js';

/** Words that technique names share with ordinary prose and that carry no meaning on their own. */
const stopwords = new Set(
  (
    'a an and are as at be by for from in into is it its of on or over the this that to ' +
    'using via was with within without'
  ).split(' '),
);

/** Lower-cased word tokens; a plural `s` is folded so "Accounts" and "account" meet. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0)
    .map((t) => (t.length > 3 && t.endsWith('s') && !t.endsWith('ss') ? t.slice(0, -1) : t));
}

/** Tokens that can carry evidence: no stopwords, no single characters. */
export function contentTokens(tokens: Iterable<string>): string[] {
  return [...new Set([...tokens].filter((t) => t.length >= 2 && !stopwords.has(t)))];
}

export interface PhraseEntry {
  tokens: string[];
  /** Every live technique carrying this exact name (sub-technique names repeat across parents). */
  ids: string[];
  /** What a match is worth to each of `ids`. */
  score: number;
}

export interface TechniqueIndex {
  live: ReadonlySet<string>;
  /** Phrases keyed by their first token, longest first. */
  phrasesByFirst: ReadonlyMap<string, PhraseEntry[]>;
  /** token -> techniques whose full name ("Parent Sub") holds it. */
  postings: ReadonlyMap<string, string[]>;
  /** Inverse document frequency of a token over the full names. */
  idf: ReadonlyMap<string, number>;
  /** Sum of idf over a technique's full-name content tokens. */
  nameWeight: ReadonlyMap<string, number>;
  /** A sub-technique's own content tokens, without its parent's. */
  ownTokens: ReadonlyMap<string, readonly string[]>;
}

const phraseScore = 0.9;
/** A one-word sub-technique name found in at most this many full names is specific enough. */
const specificWordLimit = 3;

const cache = new WeakMap<AttackCatalog, TechniqueIndex>();

/** Builds (once per catalogue object) the lookups the classifier needs for thousands of names. */
export function techniqueIndex(attack: AttackCatalog): TechniqueIndex {
  const cached = cache.get(attack);
  if (cached) return cached;
  const index = buildIndex(attack);
  cache.set(attack, index);
  return index;
}

function buildIndex(attack: AttackCatalog): TechniqueIndex {
  const live: Technique[] = [...attack.techniques.values()].filter((t) => !t.deprecated);
  const liveIds = new Set(live.map((t) => t.id));

  const phrases = new Map<string, PhraseEntry>();
  for (const t of live) {
    const tokens = tokenize(t.name);
    // A name made only of stopwords ("At") would match almost any sentence.
    if (contentTokens(tokens).length === 0) continue;
    const key = tokens.join(' ');
    const entry = phrases.get(key) ?? { tokens, ids: [], score: phraseScore };
    entry.ids.push(t.id);
    phrases.set(key, entry);
  }
  // Sub-technique names are often one generic word ("Server"); their parent's name gives context.
  const fullTokens = new Map<string, string[]>();
  const ownTokens = new Map<string, string[]>();
  for (const t of live) {
    const parent = attack.techniques.get(parentTechnique(t.id));
    const text = parent && parent.id !== t.id ? `${parent.name} ${t.name}` : t.name;
    fullTokens.set(t.id, contentTokens(tokenize(text)));
    if (t.id.includes('.')) ownTokens.set(t.id, contentTokens(tokenize(t.name)));
  }
  const postingSets = new Map<string, string[]>();
  for (const [id, tokens] of fullTokens) {
    for (const token of tokens) {
      const list = postingSets.get(token) ?? [];
      list.push(id);
      postingSets.set(token, list);
    }
  }
  const idf = new Map<string, number>();
  for (const [token, ids] of postingSets) idf.set(token, Math.log(1 + live.length / ids.length));
  const phrasesByFirst = new Map<string, PhraseEntry[]>();
  for (const entry of phrases.values()) {
    entry.ids.sort();
    entry.score = phraseEntryScore(entry, postingSets);
    const first = entry.tokens[0]!;
    const list = phrasesByFirst.get(first) ?? [];
    list.push(entry);
    phrasesByFirst.set(first, list);
  }
  for (const list of phrasesByFirst.values()) {
    list.sort((a, b) => b.tokens.length - a.tokens.length);
  }

  const nameWeight = new Map<string, number>();
  for (const [id, tokens] of fullTokens) {
    nameWeight.set(
      id,
      tokens.reduce((sum, token) => sum + (idf.get(token) ?? 0), 0),
    );
  }
  return { live: liveIds, phrasesByFirst, postings: postingSets, idf, nameWeight, ownTokens };
}

/**
 * One-word sub-technique names are often ordinary words ("Credentials", "Server") that only mean
 * the technique beside their parent's name; the more full names hold the word, the less it says.
 * A name several techniques share ("Malware") is split between them.
 */
function phraseEntryScore(entry: PhraseEntry, postings: Map<string, string[]>): number {
  const words = contentTokens(entry.tokens);
  const allSubs = entry.ids.every((id) => id.includes('.'));
  const spread = allSubs && words.length === 1 ? (postings.get(words[0]!)?.length ?? 1) : 1;
  return (phraseScore * Math.min(1, specificWordLimit / spread)) / entry.ids.length;
}

/** The parent of a sub-technique (`T1059.001` -> `T1059`); a technique is its own parent. */
export function parentTechnique(id: string): string {
  const dot = id.indexOf('.');
  return dot === -1 ? id : id.slice(0, dot);
}
