import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseAttackBundle } from '../core/attack.js';
import {
  defaultTextModelSettings,
  techniqueModelFormat,
  type TechniqueModelFile,
} from '../models/technique-text-model.js';
import {
  catalogueTitles,
  readLabelledTitles,
  readRevokedTechniques,
} from '../models/technique-training.js';
import { defaultDataDir } from './evaluate-command.js';

export interface TrainTechniquesOptions {
  /** `{name, techniques}` JSON lines; the shared `techniques/dev.jsonl` by default. */
  titles?: string;
  /** ATT&CK revoked-technique map, so revoked labels are trained as their replacements. */
  revoked?: string;
  /** ATT&CK bundle whose technique names join the titles; trained without them when absent. */
  attack?: string;
  /** The model file to write (what `TECHNIQUE_MODEL` points at). */
  out: string;
  print?: (line: string) => void;
}

/** Trains the technique text model from labelled rule titles and writes the model file. */
export async function trainTechniquesCommand(opts: TrainTechniquesOptions): Promise<number> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const titles = opts.titles ?? path.join(defaultDataDir, 'techniques/dev.jsonl');
  const revokedFile =
    opts.revoked ?? path.join(defaultDataDir, 'attack/enterprise-revoked-deprecated.json');
  const examples = await readLabelledTitles(titles, await readRevokedTechniques(revokedFile));
  if (examples.length === 0) {
    print(`${titles} holds no labelled titles; no model written`);
    return 1;
  }
  const bundle = opts.attack ?? path.join(defaultDataDir, 'attack/enterprise-attack.json');
  const named = existsSync(bundle)
    ? catalogueTitles(parseAttackBundle(await readFile(bundle, 'utf8'), bundle))
    : [];
  const model: TechniqueModelFile = {
    format: techniqueModelFormat,
    version: 1,
    trainedFrom: [path.basename(titles), ...(named.length > 0 ? [path.basename(bundle)] : [])].join(
      ' + ',
    ),
    settings: defaultTextModelSettings,
    examples: [...examples, ...named],
  };
  await mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
  await writeFile(opts.out, `${JSON.stringify(model)}\n`);
  const ids = new Set(model.examples.flatMap((e) => e.techniques));
  print(
    `technique model: ${examples.length} titles and ${named.length} technique names, ` +
      `${ids.size} techniques -> ${opts.out}`,
  );
  if (named.length === 0) print(`${bundle} not found: trained on the titles alone`);
  return 0;
}
