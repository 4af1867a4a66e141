import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { evaluateModels, type EvaluationReport } from '../models/evaluation/evaluate.js';
import { formatReport } from '../models/evaluation/format-report.js';

export interface EvaluateCommandOptions {
  /** The shared data folder; `../shared/data` beside the checkout by default. */
  dataDir?: string;
  /** Where the JSON report goes. */
  out: string;
  folds?: number;
  /** `CLUSTER_BATCH_SIZE`, so the figures describe the configured pipeline. */
  batchSize: number;
  /** `CLUSTER_WINDOW_SECONDS` */
  windowSeconds: number;
  limit?: number;
  print?: (line: string) => void;
}

/** `../shared/data` beside the checkout, whether this runs from source or from `dist/`. */
export const defaultDataDir = path.resolve(repositoryRoot(import.meta.dirname), '../shared/data');

function repositoryRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/**
 * Evaluates the local models against the labelled data, prints the figures beside their
 * baselines and writes the JSON report. Exits 1 when no data at all could be read.
 */
export async function evaluateCommand(opts: EvaluateCommandOptions): Promise<number> {
  const print = opts.print ?? ((line: string) => console.log(line));
  const report: EvaluationReport = await evaluateModels({
    dataDir: opts.dataDir ?? defaultDataDir,
    folds: opts.folds ?? 5,
    batchSize: opts.batchSize,
    windowSeconds: opts.windowSeconds,
    limit: opts.limit,
  });
  for (const line of formatReport(report)) print(line);
  await mkdir(path.dirname(path.resolve(opts.out)), { recursive: true });
  await writeFile(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  print(`report written to ${opts.out}`);
  return report.techniques || report.clustering.length > 0 ? 0 : 1;
}
