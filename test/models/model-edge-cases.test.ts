import { describe, expect, it } from 'vitest';
import { AttackCatalog } from '../../core/attack.js';
import {
  clusterModelOutputSchema,
  flowModelOutputSchema,
  type ClusterModelInput,
  type ClusterState,
  type ClusterSummary,
} from '../../core/formats.js';
import { clusterBatch } from '../../models/clusterer.js';
import { detectFlows } from '../../models/flow-detector.js';
import { classifyTechniques } from '../../models/technique-classifier.js';
import { fitTextModel } from '../../models/technique-text-model.js';

type Alert = ClusterModelInput['alerts'][number];

const alert = (i: number, time: number, src: string, dst: string, features: string[] = []) => ({
  i,
  time,
  src,
  dst,
  tech: [],
  tactics: [],
  features,
});

/** Final cluster of every alert, batch by batch as the runner does, merges followed. */
function clusterAll(alerts: Alert[], batchSize: number): Map<number, number> {
  const label = new Map<number, number>();
  const total = Math.max(1, Math.ceil(alerts.length / batchSize));
  let state: ClusterState | null = null;
  for (let index = 0; index < total; index++) {
    const out = clusterBatch({
      batch: { index, total },
      params: { windowSeconds: 1800 },
      weights: { node: {}, event: {} },
      nodeFeature: {},
      alerts: alerts.slice(index * batchSize, (index + 1) * batchSize),
      state,
    });
    const merged = new Map(out.merges);
    for (const [i, id] of label) if (merged.has(id)) label.set(i, merged.get(id)!);
    for (const [i, id] of out.assignments) label.set(i, id);
    state = out.state;
  }
  return label;
}

describe('clusterer edge cases', () => {
  it('gives one alert with no entities a cluster and keeps nothing open', () => {
    const out = clusterBatch({
      batch: { index: 0, total: 1 },
      params: { windowSeconds: 60 },
      weights: { node: {}, event: {} },
      nodeFeature: {},
      alerts: [alert(0, 0, '', '')],
      state: null,
    });
    expect(out.assignments).toEqual([[0, 0]]);
    expect(out.state).toEqual({ nextClusterId: 1, open: [] });
    expect(() => clusterModelOutputSchema.parse(out)).not.toThrow();
  });

  it('clusters a chain of alerts all at the same second alike whatever the batch cut', () => {
    // Alert k links host-k and host-(k+1): one chain, one cluster, however it is cut.
    const alerts = Array.from({ length: 600 }, (_, k) =>
      alert(k, 1_700_000_000, `host-${k}`, `host-${k + 1}`),
    );
    const whole = clusterAll(alerts, 600);
    expect(new Set(whole.values())).toEqual(new Set([0]));
    for (const size of [1, 7, 250]) expect(clusterAll(alerts, size)).toEqual(whole);
  });

  it('keeps alerts without entities apart even at the same second', () => {
    const alerts = Array.from({ length: 50 }, (_, k) => alert(k, 5, k % 2 ? '-' : '', 'null'));
    expect(new Set(clusterAll(alerts, 20).values()).size).toBe(50);
  });

  it('reads a loopback address as the reporting sensor itself, never across sensors', () => {
    const onSensor = (i: number, sensor: string, src: string, dst: string) =>
      alert(i, i, src, dst, [`sensor=${sensor}`]);
    const label = clusterAll(
      [
        onSensor(0, 'web-1', '127.0.0.1', '127.0.0.1'),
        onSensor(1, 'web-1', '::1', 'web-1'),
        onSensor(2, 'web-2', '127.0.0.1', '127.0.0.1'),
        alert(3, 3, '127.0.0.1', '127.0.0.1'),
      ],
      2,
    );
    expect(label.get(1)).toBe(label.get(0));
    expect(label.get(2)).not.toBe(label.get(0));
    // Without a sensor there is no telling whose loopback it is.
    expect([label.get(0), label.get(2)]).not.toContain(label.get(3));
  });

  it('finishes ten thousand alerts on one host in many batches, in one cluster', () => {
    const alerts = Array.from({ length: 10_000 }, (_, k) =>
      alert(k, 1_700_000_000 + Math.floor(k / 100), '10.0.0.5', 'dc-1'),
    );
    const label = clusterAll(alerts, 1000);
    expect(label.size).toBe(10_000);
    expect(new Set(label.values())).toEqual(new Set([0]));
  });
});

const summary = (id: number, start: number, entities: string[], tactics: string[] = []) =>
  ({
    id,
    start,
    end: start,
    size: 1,
    entities,
    techniques: [],
    tactics,
  }) satisfies ClusterSummary;

describe('flow detector edge cases', () => {
  const tacticOrder = AttackCatalog.empty('tests').tacticOrder;
  const flows = (clusters: ClusterSummary[], order = tacticOrder) =>
    detectFlows({ tacticOrder: order, params: { maxGapSeconds: 600 }, clusters }).flows;

  it('links clusters all at the same second into one flow, each edge forward in id', () => {
    const found = flows(Array.from({ length: 500 }, (_, k) => summary(k, 42, ['dc-1'])));
    expect(found).toHaveLength(1);
    expect(found[0]!.clusters).toHaveLength(500);
    for (const e of found[0]!.edges) expect(e.from).toBeLessThan(e.to);
    expect(() => flowModelOutputSchema.parse({ flows: found })).not.toThrow();
  });

  it('keeps clusters with no real entity each in a flow of its own', () => {
    const found = flows([summary(0, 1, []), summary(1, 1, ['', '-']), summary(2, 2, ['n/a'])]);
    expect(found.map((f) => f.clusters)).toEqual([[0], [1], [2]]);
    expect(found.flatMap((f) => f.edges)).toEqual([]);
  });

  it('scores edges without any tactic order, within 0 and 1', () => {
    const found = flows([summary(0, 0, ['a'], ['TA0001']), summary(1, 5, ['a'], ['TA0040'])], []);
    const [edge] = found[0]!.edges;
    expect(edge).toMatchObject({ from: 0, to: 1 });
    expect(edge!.score).toBeGreaterThan(0);
    expect(edge!.score).toBeLessThanOrEqual(1);
  });

  it('finishes ten thousand clusters on one host', () => {
    const found = flows(Array.from({ length: 10_000 }, (_, k) => summary(k, k * 10, ['dc-1'])));
    expect(found).toHaveLength(1);
    expect(found[0]!.clusters).toHaveLength(10_000);
  });
});

describe('technique classifier edge cases', () => {
  const attack = AttackCatalog.empty('tests');
  const model = fitTextModel([
    { name: 'Possible SSH Brute Force', techniques: ['T1110'] },
    { name: 'Multiple failed logins', techniques: ['T1110.001'] },
  ]);

  it('answers nothing for names without words, with or without a model', () => {
    for (const textModel of [undefined, model]) {
      const out = classifyTechniques({ names: ['', '  ', '---'] }, attack, textModel);
      expect(out.predictions.map((p) => p.techniques)).toEqual([[], [], []]);
    }
  });

  it('classifies ten thousand alerts of one host by their distinct names only', () => {
    const names = Array.from({ length: 10_000 }, (_, k) =>
      k % 2 ? 'SSH brute force from 10.0.0.5' : 'multiple failed logins on dc-1',
    );
    const out = classifyTechniques({ names }, attack, model);
    expect(out.predictions).toHaveLength(2);
    for (const p of out.predictions) expect(p.techniques[0]!.id).toMatch(/^T1110/);
  });

  it('classifies ten thousand distinct names', () => {
    const names = Array.from({ length: 10_000 }, (_, k) => `failed logins for user${k}`);
    const out = classifyTechniques({ names }, attack, model);
    expect(out.predictions).toHaveLength(10_000);
    expect(out.predictions.every((p) => p.techniques[0]?.id === 'T1110.001')).toBe(true);
  });
});
