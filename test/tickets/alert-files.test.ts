import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityDeps } from '../../activities/deps.js';
import type { ClusteredAlert } from '../../activities/process-cluster.js';
import { makeListTicketClusterPage } from '../../activities/tickets/cluster-pages.js';
import {
  makeWriteOutputs,
  type AlertFileRule,
  type WrittenOutputs,
} from '../../activities/write-outputs.js';
import type { ClusterSummary, FlowModelOutput } from '../../core/formats.js';
import { runKeys } from '../../core/keys.js';
import { enrichAlertInputSchema } from '../../core/output-formats.js';
import { getJson, LocalObjectStore, putJson } from '../../core/store/index.js';
import { CapturingLogger } from '../activities/pipeline-harness.js';

let dir: string;
let store: LocalObjectStore;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'alert-files-'));
  store = new LocalObjectStore(path.join(dir, 'store'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Cluster 0: three alerts, two tactics. 1 and 2: single noise alerts, 2 in a flow with 3. */
const summaries: ClusterSummary[] = [
  { id: 0, start: 0, end: 120, size: 3, entities: ['h'], techniques: [], tactics: ['A', 'B'] },
  { id: 1, start: 10, end: 10, size: 1, entities: ['h'], techniques: [], tactics: [] },
  { id: 2, start: 20, end: 20, size: 1, entities: ['h'], techniques: [], tactics: ['A'] },
  { id: 3, start: 30, end: 30, size: 1, entities: ['h'], techniques: [], tactics: ['A'] },
];
const flows: FlowModelOutput = {
  flows: [
    { id: 0, clusters: [0], edges: [] },
    { id: 1, clusters: [1], edges: [] },
    { id: 2, clusters: [2, 3], edges: [{ from: 2, to: 3, score: 0.5 }] },
  ],
};
const clusterOf = [0, 1, 0, 2, 3, 0];
const alerts: ClusteredAlert[] = clusterOf.map((cluster, i) => ({
  i,
  id: `a${i}`,
  time: i * 10,
  src: 'h',
  dst: 'd',
  name: 'n',
  tech: [],
  tactics: [],
  attrs: { priority: 1 },
  features: [],
  cluster,
}));

async function writeRun(run: string, alertFiles?: AlertFileRule) {
  const keys = runKeys(run);
  await putJson(store, keys.cluster, summaries);
  await putJson(store, keys.aggAlert, alerts);
  await putJson(store, `${keys.flowOutputPrefix}/model.out`, flows);
  const writeOutputs = makeWriteOutputs({ store } as unknown as ActivityDeps);
  const env = new MockActivityEnvironment({}, { logger: new CapturingLogger() });
  const written: WrittenOutputs = await env.run(writeOutputs, {
    run,
    flowOutputKey: `${keys.flowOutputPrefix}/model.out`,
    ...(alertFiles ? { alertFiles } : {}),
  });
  const input = enrichAlertInputSchema.parse(await getJson(store, written.enrichAlertInputKey));
  const files = await Promise.all(
    ['c0', 'c1', 'c2', 'c3'].map(async (id) => [id, await store.exists(keys.clusterAlerts(id))]),
  );
  return { written, input, files: Object.fromEntries(files) as Record<string, boolean> };
}

const rule: AlertFileRule = { eventThreshold: 2, tacticThreshold: 1, perFlow: false };

describe('alerts files of the clusters', () => {
  it('are written for every cluster when the run names no thresholds', async () => {
    const { input, files } = await writeRun('all-files');
    expect(files).toEqual({ c0: true, c1: true, c2: true, c3: true });
    expect(input.clusters.every((c) => c.alertsKey)).toBe(true);
  });

  it('are written only for clusters over the thresholds', async () => {
    const { input, files } = await writeRun('thresholds', rule);
    expect(files).toEqual({ c0: true, c1: false, c2: false, c3: false });
    expect(input.clusters.filter((c) => c.alertsKey).map((c) => c.cluster.id)).toEqual(['c0']);
    const c0 = await getJson<ClusteredAlert[]>(store, input.clusters[0]!.alertsKey!);
    expect(c0.map((a) => a.id)).toEqual(['a0', 'a2', 'a5']);
    // The noise clusters keep their facts for event.json and cluster.json all the same.
    expect(input.clusters[1]!.cluster.alert_ids).toEqual(['a1']);
  });

  it('also cover the clusters of flows of two or more with flow tickets on', async () => {
    const { files } = await writeRun('per-flow', { ...rule, perFlow: true });
    expect(files).toEqual({ c0: true, c1: false, c2: true, c3: true });
  });

  it('match the pages of ticketed clusters', async () => {
    const { written } = await writeRun('pages', rule);
    const list = makeListTicketClusterPage({ store });
    const args = { enrichAlertInputKey: written.enrichAlertInputKey, pageSize: 1 };
    expect(await list({ ...args, offset: 0 })).toEqual({
      clusters: ['c0'],
      total: 4,
      ticketed: 4,
      nextOffset: 1,
    });
    const ticketed = await list({ ...args, offset: 0, thresholds: rule });
    expect(ticketed).toEqual({ clusters: ['c0'], total: 4, ticketed: 1 });
  });
});
