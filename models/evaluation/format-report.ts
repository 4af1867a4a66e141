import type { ClusteringScores } from './cluster-metrics.js';
import type { EvaluationReport } from './evaluate.js';

const figure = (x: number) => x.toFixed(3);

/** The report as aligned text lines, each figure beside its baselines. */
export function formatReport(report: EvaluationReport): string[] {
  const lines: string[] = [];
  if (report.techniques) {
    const t = report.techniques;
    lines.push(
      `technique classification, ${t.model.folds}-fold by name over ${t.model.titles} titles`,
      `  ${'model'.padEnd(30)} top1 exact  top3 exact  top1 parent  top3 parent`,
    );
    const rows: [string, typeof t.model][] = [
      ['classifier + text model', t.model],
      ['text model only', t.textModelOnly],
      ['catalogue names only (no model)', t.catalogueOnly],
      ['baseline: TF-IDF nearest title', t.nearestTitleBaseline],
    ];
    for (const [name, a] of rows) {
      lines.push(
        `  ${name.padEnd(30)} ${figure(a.top1Exact).padStart(10)}  ` +
          `${figure(a.top3Exact).padStart(10)}  ${figure(a.top1Parent).padStart(11)}  ` +
          `${figure(a.top3Parent).padStart(11)}`,
      );
    }
  }
  for (const c of report.clustering) {
    lines.push(
      `clustering ${c.set} (${c.clusterer.alerts} alerts, ` +
        `${c.clusterer.classes} classes: ${c.label})`,
      `  ${'grouping'.padEnd(30)}    ARI  homogeneity  completeness  clusters`,
    );
    const rows: [string, ClusteringScores][] = [
      ['clusterer (as the pipeline)', c.clusterer],
      ['baseline: source+destination', c.bySourceDestination],
      [`baseline: ${report.options.windowSeconds} s time window`, c.byTimeWindow],
    ];
    for (const [name, s] of rows) {
      lines.push(
        `  ${name.padEnd(30)} ${figure(s.adjustedRandIndex).padStart(6)}  ` +
          `${figure(s.homogeneity).padStart(11)}  ${figure(s.completeness).padStart(12)}  ` +
          `${String(s.clusters).padStart(8)}`,
      );
    }
  }
  for (const file of report.missing) lines.push(`not evaluated: ${file} is missing`);
  return lines;
}
