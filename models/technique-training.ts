import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AttackCatalog } from '../core/attack.js';
import { parentTechnique } from './technique-index.js';
import { labelledTitleSchema, type LabelledTitle } from './technique-text-model.js';

/** Reads `{name, techniques}` JSON lines; a bad line is refused with its number and reason. */
export async function readLabelledTitles(
  path: string,
  replacements: ReadonlyMap<string, string> = new Map(),
): Promise<LabelledTitle[]> {
  const lines = (await readFile(path, 'utf8')).split('\n');
  const titles: LabelledTitle[] = [];
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    const parsed = labelledTitleSchema.safeParse(JSON.parse(line));
    if (!parsed.success) {
      throw new Error(`${path} line ${n + 1}: ${parsed.error.issues[0]?.message}`);
    }
    // Revoked ids would teach the model techniques the catalogue no longer has.
    const techniques = parsed.data.techniques.map((id) => replacements.get(id) ?? id);
    titles.push({ name: parsed.data.name, techniques: [...new Set(techniques)].sort() });
  });
  return titles;
}

/**
 * Every live technique's full name ("Parent: Sub") as a labelled title. Rule authors often name
 * the technique they detect, and this gives every technique at least one example, including
 * those no labelled rule covers yet.
 */
export function catalogueTitles(attack: AttackCatalog): LabelledTitle[] {
  const titles: LabelledTitle[] = [];
  for (const t of [...attack.techniques.values()].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    if (t.deprecated) continue;
    const parent = attack.techniques.get(parentTechnique(t.id));
    const name = parent && parent.id !== t.id ? `${parent.name}: ${t.name}` : t.name;
    titles.push({ name, techniques: [t.id] });
  }
  return titles;
}

/** Revoked technique id -> the id that replaced it, from `enterprise-revoked-deprecated.json`. */
export async function readRevokedTechniques(path: string): Promise<Map<string, string>> {
  if (!existsSync(path)) return new Map();
  const raw = JSON.parse(await readFile(path, 'utf8')) as {
    revoked?: Record<string, { revoked_by?: string }>;
  };
  const map = new Map<string, string>();
  for (const [id, entry] of Object.entries(raw.revoked ?? {})) {
    if (entry.revoked_by) map.set(id, entry.revoked_by);
  }
  return map;
}

/** The fold of a title: by a hash of its name, so equal titles never straddle train and test. */
export function foldOf(name: string, folds: number): number {
  return parseInt(createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 8), 16) % folds;
}

export interface TechniqueAccuracy {
  titles: number;
  folds: number;
  top1Exact: number;
  top3Exact: number;
  top1Parent: number;
  top3Parent: number;
}

/** Ranked technique ids for a title, best first. */
export type TechniquePredictor = (name: string) => string[];

/**
 * K-fold accuracy: each title is predicted by a model fitted on the other folds only. A hit is a
 * predicted id among the title's ids, a sub-technique implying its parent (the labels do not say
 * the parent consistently); parent accuracy compares the distinct parents of the ranking.
 */
export function crossValidate(
  titles: readonly LabelledTitle[],
  folds: number,
  fit: (train: LabelledTitle[], fold: number) => TechniquePredictor,
): TechniqueAccuracy {
  const hits = { top1Exact: 0, top3Exact: 0, top1Parent: 0, top3Parent: 0 };
  const foldOfTitle = titles.map((t) => foldOf(t.name, folds));
  for (let fold = 0; fold < folds; fold++) {
    const predict = fit(
      titles.filter((_, k) => foldOfTitle[k] !== fold),
      fold,
    );
    titles.forEach((title, k) => {
      if (foldOfTitle[k] !== fold) return;
      const exact = new Set(title.techniques.flatMap((id) => [id, parentTechnique(id)]));
      const parents = new Set(title.techniques.map(parentTechnique));
      const ranked = predict(title.name);
      const rankedParents = [...new Set(ranked.map(parentTechnique))];
      if (exact.has(ranked[0] ?? '')) hits.top1Exact++;
      if (ranked.slice(0, 3).some((id) => exact.has(id))) hits.top3Exact++;
      if (parents.has(rankedParents[0] ?? '')) hits.top1Parent++;
      if (rankedParents.slice(0, 3).some((id) => parents.has(id))) hits.top3Parent++;
    });
  }
  const n = Math.max(1, titles.length);
  const share = (x: number) => Math.round((x / n) * 1e4) / 1e4;
  return {
    titles: titles.length,
    folds,
    top1Exact: share(hits.top1Exact),
    top3Exact: share(hits.top3Exact),
    top1Parent: share(hits.top1Parent),
    top3Parent: share(hits.top3Parent),
  };
}
