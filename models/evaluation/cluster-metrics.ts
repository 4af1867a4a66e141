export interface ClusteringScores {
  alerts: number;
  classes: number;
  clusters: number;
  adjustedRandIndex: number;
  homogeneity: number;
  completeness: number;
}

/**
 * Adjusted Rand index, homogeneity and completeness (Rosenberg and Hirschberg's V-measure parts)
 * of a predicted grouping against the truth, from their contingency table.
 */
export function scoreClustering(
  truth: readonly string[],
  predicted: readonly (string | number)[],
): ClusteringScores {
  const n = truth.length;
  const cells = new Map<string, number>();
  const classSizes = new Map<string, number>();
  const clusterSizes = new Map<string, number>();
  for (let k = 0; k < n; k++) {
    const t = truth[k]!;
    const p = String(predicted[k]!);
    cells.set(`${t}\u0000${p}`, (cells.get(`${t}\u0000${p}`) ?? 0) + 1);
    classSizes.set(t, (classSizes.get(t) ?? 0) + 1);
    clusterSizes.set(p, (clusterSizes.get(p) ?? 0) + 1);
  }
  const pairs = (x: number) => (x * (x - 1)) / 2;
  const sum = (values: Iterable<number>, f: (x: number) => number) => {
    let s = 0;
    for (const v of values) s += f(v);
    return s;
  };
  const index = sum(cells.values(), pairs);
  const rowPairs = sum(classSizes.values(), pairs);
  const columnPairs = sum(clusterSizes.values(), pairs);
  const expected = n > 1 ? (rowPairs * columnPairs) / pairs(n) : 0;
  const maximum = (rowPairs + columnPairs) / 2;
  // Both groupings trivial (one group, or all singletons): they agree perfectly.
  const ari = maximum === expected ? 1 : (index - expected) / (maximum - expected);

  const entropy = (sizes: Iterable<number>) =>
    -sum(sizes, (s) => (s === 0 ? 0 : (s / n) * Math.log(s / n)));
  const hClass = entropy(classSizes.values());
  const hCluster = entropy(clusterSizes.values());
  let hClassGivenCluster = 0;
  let hClusterGivenClass = 0;
  for (const [key, count] of cells) {
    const [t, p] = key.split('\u0000') as [string, string];
    const cluster = clusterSizes.get(p)!;
    hClassGivenCluster -= (count / n) * Math.log(count / cluster);
    hClusterGivenClass -= (count / n) * Math.log(count / classSizes.get(t)!);
  }
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  return {
    alerts: n,
    classes: classSizes.size,
    clusters: clusterSizes.size,
    adjustedRandIndex: round(ari),
    homogeneity: round(hClass === 0 ? 1 : 1 - hClassGivenCluster / hClass),
    completeness: round(hCluster === 0 ? 1 : 1 - hClusterGivenClass / hCluster),
  };
}
