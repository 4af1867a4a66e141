import { describe, expect, it } from 'vitest';
import { AttackCatalog } from '../../core/attack.js';
import {
  flowModelOutputSchema,
  type ClusterSummary,
  type FlowModelInput,
} from '../../core/formats.js';
import { detectFlows } from '../../models/flow-detector.js';

const tacticOrder = AttackCatalog.empty('tests').tacticOrder;
const [recon, , initialAccess, execution] = tacticOrder as [string, string, string, string];

const cluster = (
  id: number,
  start: number,
  end: number,
  entities: string[],
  tactics: string[] = [],
): ClusterSummary => ({ id, start, end, size: 1, entities, techniques: [], tactics });

const flowInput = (clusters: ClusterSummary[], maxGapSeconds = 3600): FlowModelInput => ({
  tacticOrder,
  params: { maxGapSeconds },
  clusters,
});

const edgeScore = (clusters: ClusterSummary[]) =>
  detectFlows(flowInput(clusters)).flows.flatMap((f) => f.edges)[0]?.score;

describe('detectFlows', () => {
  it('returns no flows for no clusters and a flow of one for a lone cluster', () => {
    expect(detectFlows(flowInput([]))).toEqual({ flows: [] });
    expect(detectFlows(flowInput([cluster(4, 10, 20, ['host-a'])]))).toEqual({
      flows: [{ id: 0, clusters: [4], edges: [] }],
    });
  });

  it('links clusters that share an entity within the gap', () => {
    const out = detectFlows(
      flowInput([
        cluster(1, 200, 300, ['host-a', 'x'], [execution]),
        cluster(0, 0, 100, ['host-a'], [recon]),
      ]),
    );
    expect(out.flows).toHaveLength(1);
    expect(out.flows[0]!.clusters).toEqual([0, 1]);
    expect(out.flows[0]!.edges).toEqual([{ from: 0, to: 1, score: expect.any(Number) }]);
    expect(out.flows[0]!.edges[0]!.score).toBeGreaterThanOrEqual(0.2);
    expect(out.flows[0]!.edges[0]!.score).toBeLessThanOrEqual(1);
  });

  it('scores a kill-chain regression below a progression', () => {
    const pair = (first: string[], second: string[]) =>
      edgeScore([cluster(0, 0, 100, ['h'], first), cluster(1, 200, 300, ['h'], second)]);
    const forward = pair([recon], [execution]);
    const backward = pair([execution], [recon]);
    const unknown = pair([], []);
    expect(forward).toBeGreaterThan(unknown!);
    expect(unknown).toBeGreaterThan(backward!);
  });

  it('scores a longer gap and a smaller overlap lower', () => {
    const near = edgeScore([cluster(0, 0, 100, ['h']), cluster(1, 200, 300, ['h'])]);
    const far = edgeScore([cluster(0, 0, 100, ['h']), cluster(1, 3000, 3100, ['h'])]);
    const thin = edgeScore([cluster(0, 0, 100, ['h', 'x', 'y']), cluster(1, 200, 300, ['h', 'z'])]);
    expect(near).toBeGreaterThan(far!);
    expect(near).toBeGreaterThan(thin!);
  });

  it('keeps clusters apart without a shared entity, beyond the gap, or on non-host values', () => {
    const apart = [
      cluster(0, 0, 100, ['host-a', '-', '']),
      cluster(1, 50, 150, ['host-b', '-', '']),
      cluster(2, 5000, 5100, ['host-a']),
    ];
    const out = detectFlows(flowInput(apart));
    expect(out.flows.map((f) => f.clusters)).toEqual([[0], [1], [2]]);
  });

  it('links clusters starting at the same second once, from the lower id', () => {
    const out = detectFlows(flowInput([cluster(3, 10, 20, ['h']), cluster(2, 10, 20, ['h'])]));
    const edges = [{ from: 2, to: 3, score: expect.any(Number) }];
    expect(out.flows).toEqual([{ id: 0, clusters: [2, 3], edges }]);
  });

  it('keeps at most the three best outgoing edges of a cluster', () => {
    const later = [1, 2, 3, 4, 5].map((k) => cluster(k, k * 100, k * 100 + 50, ['h', `own-${k}`]));
    const out = detectFlows(flowInput([cluster(0, 0, 10, ['h']), ...later]));
    const fromZero = out.flows.flatMap((f) => f.edges).filter((e) => e.from === 0);
    expect(fromZero.map((e) => e.to)).toEqual([1, 2, 3]);
  });

  it('orders flows by start, clusters by start and edges by their source', () => {
    const clusters = [
      cluster(10, 900, 950, ['late']),
      cluster(11, 1000, 1100, ['late'], [execution]),
      cluster(20, 0, 50, ['early'], [recon]),
      cluster(21, 60, 70, ['early'], [initialAccess]),
      cluster(22, 80, 90, ['early'], [execution]),
      cluster(30, 500, 510, ['alone']),
    ];
    const out = detectFlows(flowInput(clusters));
    expect(out.flows.map((f) => [f.id, f.clusters])).toEqual([
      [0, [20, 21, 22]],
      [1, [30]],
      [2, [10, 11]],
    ]);
    expect(out.flows[0]!.edges.map((e) => [e.from, e.to])).toEqual([
      [20, 21],
      [20, 22],
      [21, 22],
    ]);
    expect(detectFlows(flowInput([...clusters].reverse()))).toEqual(out);
    expect(detectFlows(flowInput(structuredClone(clusters)))).toEqual(out);
  });

  it('puts every one of thousands of clusters on one busy entity in exactly one flow', () => {
    const clusters = Array.from({ length: 5000 }, (_, k) =>
      cluster(k, k * 60, k * 60 + 30, ['dc-1', `ws-${k % 97}`], [tacticOrder[k % 14]!]),
    );
    const out = flowModelOutputSchema.parse(detectFlows(flowInput(clusters)));
    const members = out.flows.flatMap((f) => f.clusters);
    expect(members).toHaveLength(5000);
    expect(new Set(members).size).toBe(5000);
    expect(out.flows).toHaveLength(1);
    const outgoing = new Map<number, number>();
    for (const e of out.flows.flatMap((f) => f.edges)) {
      expect(e.score).toBeGreaterThanOrEqual(0.2);
      outgoing.set(e.from, (outgoing.get(e.from) ?? 0) + 1);
    }
    expect(Math.max(...outgoing.values())).toBeLessThanOrEqual(3);
  });
});
