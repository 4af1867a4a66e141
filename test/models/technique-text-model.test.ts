import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AttackCatalog } from '../../core/attack.js';
import { classifyTechniques } from '../../models/technique-classifier.js';
import {
  defaultTextModelSettings,
  fitTextModel,
  loadTechniqueModel,
} from '../../models/technique-text-model.js';
import { catalogueTitles, crossValidate, foldOf } from '../../models/technique-training.js';
import { trainTechniquesCommand } from '../../starters/train-command.js';
import { sharedData } from '../helpers/shared-data.js';
import { loadAttackBundle, skipWithoutBundle } from './attack-bundle.js';

const examples = [
  { name: 'Suspicious PowerShell Encoded Command', techniques: ['T1059', 'T1059.001'] },
  { name: 'PowerShell Download Cradle', techniques: ['T1059.001', 'T1105'] },
  { name: 'Possible SSH Brute Force', techniques: ['T1110'] },
  { name: 'RDP Brute Force Attempt', techniques: ['T1110.001'] },
  { name: 'Scheduled Task Created', techniques: ['T1053.005'] },
];
const titles = sharedData('techniques/dev.jsonl');

describe('technique text model', () => {
  it('ranks the techniques of similar titles first, sub-technique for its group', () => {
    const model = fitTextModel(examples);
    expect(model.predict('Encoded PowerShell command line', 3)[0]!.id).toBe('T1059.001');
    expect(model.predict('brute force against ssh', 3)[0]!.id.startsWith('T1110')).toBe(true);
  });

  it('answers nothing for a name sharing nothing with any title, and for an empty model', () => {
    expect(fitTextModel(examples).predict('zzqx', 3)).toEqual([]);
    expect(fitTextModel([]).predict('PowerShell', 3)).toEqual([]);
  });

  it('adds to the classifier without a catalogue, and is deterministic', () => {
    const model = fitTextModel(examples);
    const run = () =>
      classifyTechniques({ names: ['PowerShell cradle'] }, AttackCatalog.empty('test'), model);
    expect(run()).toEqual(run());
    expect(run().predictions[0]!.techniques[0]!.id).toBe('T1059.001');
  });

  it('folds by name, so equal titles never straddle train and test', () => {
    expect(foldOf('Scheduled Task Created', 5)).toBe(foldOf('Scheduled Task Created', 5));
    const accuracy = crossValidate(examples, 2, (train) => {
      const model = fitTextModel(train);
      return (name) => model.predict(name, 3).map((t) => t.id);
    });
    expect(accuracy.titles).toBe(5);
  });

  it.skipIf(titles.skip)('trains a model file that loads and classifies', async () => {
    const out = path.resolve(import.meta.dirname, '../.tmp/technique-model.json');
    const lines: string[] = [];
    expect(await trainTechniquesCommand({ out, print: (l) => lines.push(l) })).toBe(0);
    expect(lines[0]).toMatch(/technique model: \d+ titles/);
    const model = await loadTechniqueModel(out);
    expect(model.size).toBeGreaterThan(5000);
    expect(model.predict('Suspicious Encoded PowerShell Command Line', 1)[0]!.id).toMatch(/^T1059/);
  });

  it('loads a model file written before centroids, as the neighbours-only model it was', async () => {
    const out = path.resolve(import.meta.dirname, '../.tmp/technique-model-v1.json');
    const settings = {
      wordWeight: 0.5,
      minCharGram: 3,
      maxCharGram: 5,
      neighbours: 40,
      sharpness: 3,
      confidentSimilarity: 0.5,
    };
    await mkdir(path.dirname(out), { recursive: true });
    const file = {
      format: 'technique-text-model',
      version: 1,
      trainedFrom: 't',
      settings,
      examples,
    };
    await writeFile(out, JSON.stringify(file));
    const model = await loadTechniqueModel(out);
    expect(model.settings.centroidWeight).toBe(0);
    expect(model.predict('Encoded PowerShell command line', 3)[0]!.id).toBe('T1059.001');
  });

  it('raises a technique whose words are spread over several of its titles', () => {
    const dumping = [
      { name: 'LSASS memory dump', techniques: ['T1003.001'] },
      { name: 'Credential dumping tool', techniques: ['T1003'] },
      { name: 'SAM hive copied', techniques: ['T1003.002'] },
      { name: 'NTDS database copied', techniques: ['T1003.003'] },
      { name: 'Remote service login with dumping tool', techniques: ['T1021'] },
    ];
    const query = 'dumping tool copied the SAM and NTDS';
    const score = (centroidWeight: number) =>
      fitTextModel(dumping, { ...defaultTextModelSettings, centroidWeight })
        .predict(query, 3)
        .find((t) => t.id === 'T1003')!.score;
    expect(defaultTextModelSettings.centroidWeight).toBeGreaterThan(0);
    expect(score(defaultTextModelSettings.centroidWeight)).toBeGreaterThan(score(0));
  });

  it.skipIf(skipWithoutBundle)('turns every live technique name into a labelled title', () => {
    const named = catalogueTitles(loadAttackBundle());
    expect(named.length).toBeGreaterThan(500);
    expect(named).toContainEqual({
      name: 'Command and Scripting Interpreter: PowerShell',
      techniques: ['T1059.001'],
    });
    expect(fitTextModel(named).predict('PowerShell script', 1)[0]!.id).toBe('T1059.001');
  });

  it('refuses a file that is not a technique model, naming it', async () => {
    const file = path.resolve(import.meta.dirname, '../../package.json');
    await expect(loadTechniqueModel(file)).rejects.toThrow(/package\.json: format/);
    expect(JSON.parse(await readFile(file, 'utf8')).name).toBeTruthy();
  });
});
