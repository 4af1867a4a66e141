import { loadConfig } from '../core/config.js';
import { evaluateCommand } from '../starters/evaluate-command.js';

/**
 * The full evaluation on all of the shared data, with the clustering settings the pipeline runs
 * with (environment or defaults). Usage: node dist/bench/evaluate.js [report.json]
 */
const settings = loadConfig(process.env).pipeline;
const started = Date.now();
process.exitCode = await evaluateCommand({
  out: process.argv[2] ?? 'evaluation-report.json',
  batchSize: settings.clusterBatchSize,
  windowSeconds: settings.clusterWindowSeconds,
});
console.log(`evaluation took ${((Date.now() - started) / 1000).toFixed(1)} s`);
