import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scoreClustering } from '../../models/evaluation/cluster-metrics.js';
import { evaluateCommand } from '../../starters/evaluate-command.js';
import { sharedData, sharedDataRoot } from '../helpers/shared-data.js';

const titles = sharedData('techniques/dev.jsonl');
const cptc = sharedData('alerts/labeled/cptc2017/splunk_export');

describe('scoreClustering', () => {
  it('scores a perfect grouping 1 whatever the cluster names', () => {
    const s = scoreClustering(['a', 'a', 'b', 'b'], [7, 7, 3, 3]);
    expect(s).toMatchObject({ adjustedRandIndex: 1, homogeneity: 1, completeness: 1 });
  });

  it('scores one big cluster as complete but not homogeneous, with ARI 0', () => {
    const s = scoreClustering(['a', 'a', 'b', 'b'], [0, 0, 0, 0]);
    expect(s).toMatchObject({ adjustedRandIndex: 0, homogeneity: 0, completeness: 1 });
  });

  it('scores singletons as homogeneous but not complete', () => {
    const s = scoreClustering(['a', 'a', 'b', 'b'], [0, 1, 2, 3]);
    expect(s.homogeneity).toBe(1);
    expect(s.completeness).toBeCloseTo(0.5, 4);
  });

  it('matches a hand-computed adjusted Rand index', () => {
    // Contingency [[2,1],[0,2]]: index 2, expected 4*4/10 = 1.6, max 4: (2-1.6)/(4-1.6) = 1/6.
    const s = scoreClustering(['a', 'a', 'a', 'b', 'b'], [0, 0, 1, 1, 1]);
    expect(s.adjustedRandIndex).toBeCloseTo(0.1667, 4);
  });
});

describe.skipIf(titles.skip || cptc.skip)('evaluateCommand on a slice of the shared data', () => {
  it(
    'prints technique and clustering figures beside both baselines and writes the report',
    {
      timeout: 120_000,
    },
    async () => {
      const out = path.resolve(import.meta.dirname, '../.tmp/evaluation-slice.json');
      const lines: string[] = [];
      const code = await evaluateCommand({
        dataDir: sharedDataRoot,
        out,
        folds: 3,
        batchSize: 200,
        windowSeconds: 1800,
        limit: 600,
        print: (line) => lines.push(line),
      });
      expect(code).toBe(0);
      const text = lines.join('\n');
      expect(text).toContain('baseline: TF-IDF nearest title');
      expect(text).toContain('baseline: source+destination');
      expect(text).toContain('baseline: 1800 s time window');
      const report = JSON.parse(await readFile(out, 'utf8'));
      expect(report.techniques.model.titles).toBe(600);
      for (const key of ['top1Exact', 'top3Exact', 'top1Parent', 'top3Parent']) {
        expect(report.techniques.model[key]).toBeGreaterThan(0);
        expect(report.techniques.model[key]).toBeLessThanOrEqual(1);
      }
      const sets = report.clustering.map((c: { set: string }) => c.set);
      expect(sets).toContain('cptc2017');
      // The slice caps every set at 600 alerts; the AIT-LDS insect set has fewer.
      for (const c of report.clustering) {
        expect(c.clusterer.alerts).toBeLessThanOrEqual(600);
        expect(c.clusterer.alerts).toBe(c.bySourceDestination.alerts);
      }
    },
  );
});
