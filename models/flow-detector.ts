import type { ClusterSummary, FlowModelInput, FlowModelOutput } from '../core/formats.js';
import { entityKeys } from './entities.js';

const minEdgeScore = 0.2;
const maxOutgoingEdges = 3;
/**
 * Successors looked at per shared entity. A busy entity (a domain controller) can sit in
 * thousands of clusters; the nearest ones in time are the ones that can score well.
 */
const maxSuccessorsPerEntity = 64;
const overlapWeight = 0.4;
const progressionWeight = 0.35;
const proximityWeight = 0.25;
/** Without tactics on either side, order says nothing either way. */
const unknownProgression = 0.5;
/** Even a one-step regression is worth less than not knowing the tactics. */
const regressionCeiling = 0.25;

type Edge = FlowModelOutput['flows'][number]['edges'][number];

interface Node {
  cluster: ClusterSummary;
  position: number;
  entities: Set<string>;
  firstTacticRank: number | undefined;
}

/**
 * Links clusters into attack flows: an edge A -> B when B starts no earlier than A, they share
 * an entity, and B begins within the allowed gap after A ends. Flows are the connected
 * components over the edges each cluster keeps.
 */
export function detectFlows(input: FlowModelInput): FlowModelOutput {
  const ranks = new Map(input.tacticOrder.map((t, i) => [t, i]));
  const maxGap = input.params.maxGapSeconds;
  const nodes: Node[] = [...input.clusters]
    .sort((a, b) => a.start - b.start || a.id - b.id)
    .map((cluster, position) => ({
      cluster,
      position,
      entities: new Set(entityKeys(cluster.entities)),
      firstTacticRank: firstRank(cluster.tactics, ranks),
    }));

  const byEntity = new Map<string, Node[]>();
  for (const node of nodes) {
    for (const entity of node.entities) {
      const list = byEntity.get(entity) ?? [];
      list.push(node);
      byEntity.set(entity, list);
    }
  }

  const components = new UnionFind(nodes.length);
  const kept: { from: Node; to: Node; score: number }[] = [];
  for (const from of nodes) {
    const successors = new Set<Node>();
    for (const entity of from.entities) {
      const list = byEntity.get(entity)!;
      let k = firstAfter(list, from.position);
      for (let seen = 0; k < list.length && seen < maxSuccessorsPerEntity; k++, seen++) {
        const to = list[k]!;
        if (to.cluster.start - from.cluster.end > maxGap) break;
        successors.add(to);
      }
    }
    const scored = [...successors]
      .map((to) => ({ from, to, score: edgeScore(from, to, maxGap, input.tacticOrder.length) }))
      .filter((e) => e.score >= minEdgeScore)
      .sort((a, b) => b.score - a.score || a.to.position - b.to.position)
      .slice(0, maxOutgoingEdges);
    for (const edge of scored) {
      kept.push(edge);
      components.union(edge.from.position, edge.to.position);
    }
  }

  // Nodes are in start order, so numbering components as they are met orders flows by start.
  const flowOf = new Map<number, number>();
  const flows: { id: number; clusters: number[]; edges: Edge[] }[] = [];
  for (const node of nodes) {
    const root = components.find(node.position);
    let id = flowOf.get(root);
    if (id === undefined) {
      id = flows.length;
      flowOf.set(root, id);
      flows.push({ id, clusters: [], edges: [] });
    }
    flows[id]!.clusters.push(node.cluster.id);
  }
  kept.sort((a, b) => a.from.position - b.from.position || a.to.position - b.to.position);
  for (const e of kept) {
    const flow = flows[flowOf.get(components.find(e.from.position))!]!;
    flow.edges.push({ from: e.from.cluster.id, to: e.to.cluster.id, score: e.score });
  }
  return { flows };
}

/** Entity overlap, kill-chain progression and closeness in time, each in [0, 1]. */
function edgeScore(from: Node, to: Node, maxGap: number, tacticCount: number): number {
  let shared = 0;
  for (const entity of from.entities) if (to.entities.has(entity)) shared++;
  const jaccard = shared / (from.entities.size + to.entities.size - shared);

  let progression = unknownProgression;
  if (from.firstTacticRank !== undefined && to.firstTacticRank !== undefined) {
    const regression = from.firstTacticRank - to.firstTacticRank;
    progression =
      regression <= 0 ? 1 : regressionCeiling * (1 - regression / Math.max(tacticCount, 1));
  }
  const gap = Math.max(0, to.cluster.start - from.cluster.end);
  const proximity = Math.exp(-gap / maxGap);
  const score =
    overlapWeight * jaccard + progressionWeight * progression + proximityWeight * proximity;
  return Math.min(1, Math.max(0, Math.round(score * 1e4) / 1e4));
}

function firstRank(tactics: string[], ranks: Map<string, number>): number | undefined {
  let best: number | undefined;
  for (const t of tactics) {
    const rank = ranks.get(t);
    if (rank !== undefined && (best === undefined || rank < best)) best = rank;
  }
  return best;
}

/** Index of the first node in a start-ordered list that comes after `position`. */
function firstAfter(list: Node[], position: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.position <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class UnionFind {
  private readonly parent: number[];

  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i);
  }

  find(x: number): number {
    let root = x;
    while (this.parent[root] !== root) root = this.parent[root]!;
    for (let node = x; node !== root;) {
      const next = this.parent[node]!;
      this.parent[node] = root;
      node = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The earlier cluster's root wins, so roots stay stable and the result is deterministic.
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}
