import { describe, expect, it } from 'vitest';
import {
  clusterModelOutputSchema,
  clusterStateSchema,
  type ClusterModelInput,
  type ClusterState,
} from '../../core/formats.js';
import { clusterBatch } from '../../models/clusterer.js';

type Alert = ClusterModelInput['alerts'][number];

const alert = (i: number, time: number, src: string, dst: string, more: Partial<Alert> = {}) => ({
  i,
  time,
  src,
  dst,
  tech: [],
  tactics: [],
  features: [],
  ...more,
});

const batchInput = (alerts: Alert[], more: Partial<ClusterModelInput> = {}): ClusterModelInput => ({
  batch: { index: 0, total: 1 },
  params: { windowSeconds: 3600 },
  weights: { node: {}, event: {} },
  nodeFeature: {},
  alerts,
  state: null,
  ...more,
});

/** Final cluster of every alert after all batches, relabelling earlier batches as merges say. */
function clusterInBatches(batches: Alert[][], more: Partial<ClusterModelInput> = {}) {
  const label = new Map<number, number>();
  const merges: [number, number][] = [];
  let state: ClusterState | null = null;
  batches.forEach((alerts, index) => {
    const batch = { index, total: batches.length };
    const out = clusterBatch(batchInput(alerts, { ...more, batch, state }));
    expect(out.nextBatch).toBe(index + 1 < batches.length);
    for (const [i, id] of out.assignments) label.set(i, id);
    for (const [absorbed, surviving] of out.merges) {
      merges.push([absorbed, surviving]);
      for (const [i, id] of label) if (id === absorbed) label.set(i, surviving);
    }
    // What the runner does between batches: the state goes through the schema.
    state = clusterStateSchema.parse(JSON.parse(JSON.stringify(out.state)));
  });
  return { label: Object.fromEntries([...label].sort((a, b) => a[0] - b[0])), merges };
}

describe('clusterBatch', () => {
  it('puts a single alert in cluster 0 and keeps it open', () => {
    const out = clusterBatch(batchInput([alert(7, 100, 'host-a', '10.0.0.5')]));
    expect(out.assignments).toEqual([[7, 0]]);
    expect(out.merges).toEqual([]);
    expect(out.nextBatch).toBe(false);
    expect(out.state.nextClusterId).toBe(1);
    expect(out.state.open).toEqual([
      {
        id: 0,
        firstTime: 100,
        lastTime: 100,
        entities: ['host-a', '10.0.0.5'],
        features: [],
        tactics: [],
      },
    ]);
    expect(() => clusterModelOutputSchema.parse(out)).not.toThrow();
  });

  it('asks for the next batch until the last one', () => {
    const out = clusterBatch(batchInput([], { batch: { index: 0, total: 2 } }));
    expect(out).toMatchObject({ assignments: [], nextBatch: true, batch: { index: 0, total: 2 } });
  });

  it('orders alerts by time then id, whatever order they come in', () => {
    const alerts = [alert(2, 50, 'b', 'c'), alert(1, 10, 'x', 'y'), alert(0, 50, 'a', 'b')];
    const out = clusterBatch(batchInput(alerts));
    expect(out.assignments).toEqual([
      [1, 0],
      [0, 1],
      [2, 1],
    ]);
    expect(clusterBatch(batchInput([...alerts].reverse()))).toEqual(out);
  });

  it('merges clusters an alert links into the oldest, all at the same second', () => {
    const alerts = [alert(0, 5, 'a', 'b'), alert(1, 5, 'c', 'd'), alert(2, 5, 'b', 'c')];
    const out = clusterBatch(batchInput(alerts));
    // Cluster 1 was born in this batch, so relabelling it here is enough.
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    expect(out.merges).toEqual([]);
    expect(out.state.open.map((c) => c.id)).toEqual([0]);
    expect(out.state.open[0]!.entities.sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('gives every alert without a real entity a cluster of its own', () => {
    const alerts = [
      alert(0, 1, '', ''),
      alert(1, 1, '-', 'unknown'),
      alert(2, 1, '0.0.0.0', ' '),
      alert(3, 1, 'host-a', '-'),
      alert(4, 1, 'host-b', '-'),
    ];
    const out = clusterBatch(batchInput(alerts));
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
    expect(out.state.nextClusterId).toBe(5);
    expect(out.state.open.map((c) => c.id)).toEqual([3, 4]);
  });

  it('links host names whatever their case', () => {
    const out = clusterBatch(batchInput([alert(0, 1, 'HOST-A', ''), alert(1, 2, 'host-a', '')]));
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('closes a short burst that stays silent longer than the window', () => {
    const alerts = [
      alert(0, 0, 'host-a', ''),
      alert(1, 60, 'host-a', ''),
      alert(2, 3661, 'host-a', ''),
    ];
    const out = clusterBatch(batchInput(alerts));
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
    ]);
    expect(out.state.open.map((c) => c.id)).toEqual([1]);
  });

  it('lets a cluster that lived long stay silent longer, up to a bound', () => {
    // Window 1 h: alive 3.2 h, so a 5 h pause still joins; a pause of over 48 windows never does.
    const hours = (h: number) => h * 3600;
    const alerts = [0, 0.8, 1.6, 2.4, 3.2, 8.2, 8.2 + 49].map((h, k) =>
      alert(k, hours(h), 'host-a', ''),
    );
    const whole = clusterInBatches([alerts]);
    expect(whole.label).toEqual({ 0: 0, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 1 });
    expect(clusterInBatches([alerts.slice(0, 5), alerts.slice(5)]).label).toEqual(whole.label);
    // A cluster that lived only 0.8 h is closed by the same 5 h pause.
    const brief = [alerts[0]!, alerts[1]!, alert(9, hours(5.8), 'host-a', '')];
    expect(clusterInBatches([brief]).label).toEqual({ 0: 0, 1: 0, 9: 1 });
  });

  it('keeps ten thousand alerts on one host in one cluster with bounded state', () => {
    const alerts = Array.from({ length: 10_000 }, (_, k) =>
      alert(k, 1_700_000_000 + k, 'host-a', `10.${k >> 8}.${k & 255}.1`),
    );
    const out = clusterBatch(batchInput(alerts));
    expect(out.assignments).toHaveLength(10_000);
    expect(out.assignments.every(([i, id], k) => i === k && id === 0)).toBe(true);
    expect(out.state.open).toHaveLength(1);
    expect(out.state.open[0]!.entities).toHaveLength(256);
    expect(out.state.open[0]!.entities).toContain('host-a');
  });

  const story = [
    [alert(0, 0, 'a', 'b'), alert(1, 10, 'c', 'd'), alert(2, 20, 'e', 'f')],
    [alert(3, 30, 'b', 'c'), alert(4, 5000, 'g', 'h')],
    [alert(5, 5100, 'a', 'x'), alert(6, 5200, 'h', 'x'), alert(7, 5300, 'e', 'f')],
  ];

  it('clusters in batches exactly as in one batch, reporting merges of earlier clusters', () => {
    const whole = clusterInBatches([story.flat()]);
    const split = clusterInBatches(story);
    expect(split.label).toEqual(whole.label);
    expect(split.label).toEqual({ 0: 0, 1: 0, 2: 2, 3: 0, 4: 3, 5: 3, 6: 3, 7: 5 });
    expect(whole.merges).toEqual([]);
    expect(split.merges).toEqual([[1, 0]]);
  });

  it('is deterministic', () => {
    const input = batchInput(story.flat(), { state: null });
    expect(clusterBatch(input)).toEqual(clusterBatch(structuredClone(input)));
  });

  it('stops linking on an entity weighted 0, such as a scanner', () => {
    const scans = ['h1', 'h2', 'h3'].map((h, k) => alert(k, k, '198.51.100.7', h));
    expect(clusterBatch(batchInput(scans)).assignments).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
    const weights = { node: { '198.51.100.7': 0 }, event: {} };
    const out = clusterBatch(batchInput(scans, { weights }));
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 1],
      [2, 2],
    ]);
    expect(out.state.open.flatMap((c) => c.entities)).not.toContain('198.51.100.7');
  });

  it('needs more than a down-weighted entity: a shared tactic tips it', () => {
    const weights = { node: { fileserver: 0.8 }, event: {} };
    const plain = [alert(0, 1, 'ws-1', 'fileserver'), alert(1, 2, 'ws-2', 'fileserver')];
    expect(clusterBatch(batchInput(plain, { weights })).assignments).toEqual([
      [0, 0],
      [1, 1],
    ]);
    const tactics = { tactics: ['TA0008'] };
    const staged = plain.map((a) => ({ ...a, ...tactics }));
    expect(clusterBatch(batchInput(staged, { weights })).assignments).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('adds weighted event features the alert shares with the cluster, across batches too', () => {
    const weights = { node: { fileserver: 0.5 }, event: { 'category=Web Attack': 0.5 } };
    const web = { features: ['category=Web Attack'] };
    const alerts = [
      alert(0, 1, 'ws-1', 'fileserver', web),
      alert(1, 2, 'ws-2', 'fileserver', { features: ['category=Malware'] }),
      alert(2, 3, 'ws-3', 'fileserver', web),
    ];
    const whole = clusterInBatches([alerts], { weights });
    expect(whole.label).toEqual({ 0: 0, 1: 1, 2: 0 });
    expect(clusterInBatches([alerts.slice(0, 2), alerts.slice(2)], { weights })).toEqual(whole);
  });

  it('adds weighted node features the alert shares with the cluster', () => {
    const nodeFeature = { 'ws-1': { user_group: 'HR' }, 'WS-2': { user_group: 'HR' } };
    const alerts = [alert(0, 1, 'ws-1', 'fileserver'), alert(1, 2, 'ws-2', 'fileserver')];
    const run = (node: Record<string, number>) =>
      clusterBatch(batchInput(alerts, { nodeFeature, weights: { node, event: {} } }));
    const without = run({ fileserver: 0.5 });
    expect(without.assignments).toEqual([
      [0, 0],
      [1, 1],
    ]);
    const withHr = run({ fileserver: 0.5, 'feature:user_group=HR': 0.5 });
    expect(withHr.assignments).toEqual([
      [0, 0],
      [1, 0],
    ]);
  });

  it('links addresses only within the sensor that saw them, across batches too', () => {
    const seen = (i: number, time: number, sensor: string) =>
      alert(i, time, '10.0.254.30', '10.0.0.23', { features: [`sensor=${sensor}`] });
    const { label } = clusterInBatches([
      [seen(0, 0, 'kali-n1'), seen(1, 5, 'kali-n2')],
      [seen(2, 10, 'kali-n1'), seen(3, 15, 'kali-n2'), alert(4, 20, '10.0.254.30', 'x')],
    ]);
    expect(label[0]).toBe(label[2]);
    expect(label[1]).toBe(label[3]);
    expect(label[0]).not.toBe(label[1]);
    // Without a sensor the address is the plain entity, as before.
    expect([label[0], label[1]]).not.toContain(label[4]);
  });

  it('applies feedback weights to a scoped entity by its plain name', () => {
    const alerts = [0, 1].map((k) =>
      alert(k, k, 'scanner', `10.0.0.${k}`, { features: ['sensor=s1'] }),
    );
    const out = clusterBatch(batchInput(alerts, { weights: { node: { scanner: 0 }, event: {} } }));
    expect(out.assignments).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });
});
