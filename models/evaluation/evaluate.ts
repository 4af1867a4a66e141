import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AttackCatalog, parseAttackBundle } from '../../core/attack.js';
import { classifyTechniques } from '../technique-classifier.js';
import {
  fitTextModel,
  type LabelledTitle,
  type TechniqueTextModel,
} from '../technique-text-model.js';
import {
  catalogueTitles,
  crossValidate,
  readLabelledTitles,
  readRevokedTechniques,
  type TechniqueAccuracy,
} from '../technique-training.js';
import {
  clusterLikePipeline,
  groupBySourceAndDestination,
  groupByTimeWindow,
} from './cluster-evaluation.js';
import { scoreClustering, type ClusteringScores } from './cluster-metrics.js';
import { readAitAds, readAitLds, readCptcExports, type LabelledSet } from './labelled-alerts.js';
import { fitNearestTitleBaseline } from './technique-baseline.js';

/** The pipeline tags an alert with a technique from this score up (activities/process-enriched). */
const tagThreshold = 0.5;

export interface EvaluationOptions {
  /** The shared data folder (`../shared/data` beside the checkout). */
  dataDir: string;
  folds: number;
  batchSize: number;
  windowSeconds: number;
  /** Evaluate only the first this-many titles and alerts per set: a quick slice for tests. */
  limit?: number;
}

export interface ClusteringResult {
  set: string;
  label: string;
  clusterer: ClusteringScores;
  bySourceDestination: ClusteringScores;
  byTimeWindow: ClusteringScores;
}

export interface EvaluationReport {
  dataDir: string;
  options: Omit<EvaluationOptions, 'dataDir'>;
  techniques?: {
    model: TechniqueAccuracy;
    textModelOnly: TechniqueAccuracy;
    catalogueOnly: TechniqueAccuracy;
    nearestTitleBaseline: TechniqueAccuracy;
  };
  clustering: ClusteringResult[];
  /** Inputs that were not found, so their figures are absent. */
  missing: string[];
}

const sets: { files: string[]; read: (files: string[]) => Promise<LabelledSet> }[] = [
  {
    files: ['alerts/labeled/cptc2017/splunk_export'],
    read: ([dir]) => readCptcExports(dir!),
  },
  {
    files: ['alerts/labeled/ait_ads/russellmitchell_alerts.txt'],
    read: ([file]) => readAitAds(file!),
  },
  { files: ['alerts/labeled/ait_ads/shaw_alerts.txt'], read: ([file]) => readAitAds(file!) },
  {
    files: [
      'alerts/labeled/ait_ldsv1_wazuh/ossec_insect.json',
      'alerts/labeled/ait_ldsv1_wazuh/insect_phase_labels.jsonl',
    ],
    read: ([alerts, labels]) => readAitLds(alerts!, labels!),
  },
];

/** Technique accuracy on unseen folds and clustering quality on every labelled alert set. */
export async function evaluateModels(options: EvaluationOptions): Promise<EvaluationReport> {
  const { dataDir, ...rest } = options;
  const at = (rel: string) => path.join(dataDir, rel);
  const report: EvaluationReport = { dataDir, options: rest, clustering: [], missing: [] };
  const bundle = at('attack/enterprise-attack.json');
  const attack = existsSync(bundle)
    ? parseAttackBundle(await readFile(bundle, 'utf8'), bundle)
    : AttackCatalog.empty(`${bundle} is missing`);
  if (!existsSync(bundle)) report.missing.push(bundle);

  let titles: LabelledTitle[] = [];
  const titlesFile = at('techniques/dev.jsonl');
  if (existsSync(titlesFile)) {
    const revoked = await readRevokedTechniques(at('attack/enterprise-revoked-deprecated.json'));
    titles = (await readLabelledTitles(titlesFile, revoked)).slice(0, options.limit);
    report.techniques = techniqueFigures(titles, attack, options.folds);
  } else report.missing.push(titlesFile);

  const textModel =
    titles.length > 0 ? fitTextModel([...titles, ...catalogueTitles(attack)]) : undefined;
  const tags = new Map<string, { tech: string[]; tactics: string[] }>();
  const tag = (name: string) => {
    let found = tags.get(name);
    if (!found) {
      const predicted = classifyTechniques({ names: [name] }, attack, textModel).predictions[0];
      const tech = (predicted?.techniques ?? [])
        .filter((t) => t.score >= tagThreshold)
        .map((t) => t.id);
      tags.set(name, (found = { tech, tactics: attack.tacticsOfAll(tech) }));
    }
    return found;
  };
  for (const set of sets) {
    const files = set.files.map(at);
    const absent = files.filter((f) => !existsSync(f));
    if (absent.length > 0) {
      report.missing.push(...absent);
      continue;
    }
    const labelled = await set.read(files);
    const alerts = labelled.alerts.slice(0, options.limit);
    const truth = alerts.map((a) => a.label);
    const { batchSize, windowSeconds } = options;
    report.clustering.push({
      set: labelled.name,
      label: labelled.label,
      clusterer: scoreClustering(
        truth,
        clusterLikePipeline(alerts, { batchSize, windowSeconds, tag }),
      ),
      bySourceDestination: scoreClustering(truth, groupBySourceAndDestination(alerts)),
      byTimeWindow: scoreClustering(truth, groupByTimeWindow(alerts, windowSeconds)),
    });
  }
  return report;
}

function techniqueFigures(titles: LabelledTitle[], attack: AttackCatalog, folds: number) {
  const names = (name: string, model?: TechniqueTextModel) =>
    classifyTechniques({ names: [name] }, attack, model).predictions[0]!.techniques.map(
      (t) => t.id,
    );
  // The catalogue's names are no held-out title's: they join every fold's training set.
  const catalogue = catalogueTitles(attack);
  // Both rows score the same fitted model of a fold; fitting it once saves half the time.
  const fitted = new Map<number, TechniqueTextModel>();
  const fitFold = (train: LabelledTitle[], fold: number) => {
    let model = fitted.get(fold);
    if (!model) fitted.set(fold, (model = fitTextModel([...train, ...catalogue])));
    return model;
  };
  return {
    model: crossValidate(titles, folds, (train, fold) => {
      const model = fitFold(train, fold);
      return (name) => names(name, model);
    }),
    textModelOnly: crossValidate(titles, folds, (train, fold) => {
      const model = fitFold(train, fold);
      return (name) => model.predict(name, 3).map((t) => t.id);
    }),
    catalogueOnly: crossValidate(titles, folds, () => (name) => names(name)),
    nearestTitleBaseline: crossValidate(titles, folds, fitNearestTitleBaseline),
  };
}
