import { ApplicationFailure } from '@temporalio/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusteredAlert } from '../../activities/process-cluster.js';
import { AttackCatalog } from '../../core/attack.js';
import { failureTypes } from '../../core/failures.js';
import type { ClusterModelInput, ClusterSummary, EnrichedAlert } from '../../core/formats.js';
import { runKeys } from '../../core/keys.js';
import { getJson, putJson } from '../../core/store/index.js';
import { Harness } from './pipeline-harness.js';

const attack = new AttackCatalog(
  [
    { id: 'TA0001', shortname: 'initial-access', name: 'Initial Access' },
    { id: 'TA0002', shortname: 'execution', name: 'Execution' },
  ],
  [
    { id: 'T1566', name: 'Phishing', tactics: ['TA0001'], deprecated: false },
    { id: 'T1059', name: 'Command', tactics: ['TA0002'], deprecated: false },
  ],
  'test catalogue',
);
const run = 'merge-run';
const keys = runKeys(run);
const state = { nextClusterId: 9, open: [] };

function alert(i: number, tech: string[] = []): EnrichedAlert {
  return {
    i,
    id: `user-${i}`,
    time: 100 + i,
    src: `s${i}`,
    dst: 'd',
    name: `alert ${i}`,
    tech,
    attrs: {},
    features: [],
    tactics: attack.tacticsOfAll(tech),
  };
}

/** Six alerts in two chunks (kept out of time order), answered in three cluster batches. */
async function layOut(h: Harness): Promise<void> {
  const first = [alert(3, ['T1059']), alert(0, ['T1566']), alert(1)];
  await putJson(h.store, keys.enrichedChunk(0), first);
  await putJson(h.store, keys.enrichedChunk(1), [alert(2), alert(4), alert(5)]);
  const answer = (index: number, assignments: number[][], merges: number[][], next: boolean) => ({
    batch: { index, total: 3 },
    assignments,
    merges,
    state,
    nextBatch: next,
  });
  await h.putClusterAnswer(
    run,
    0,
    answer(
      0,
      [
        [0, 0],
        [1, 1],
        [2, 2],
      ],
      [],
      true,
    ),
  );
  await h.putClusterAnswer(
    run,
    1,
    answer(
      1,
      [
        [3, 1],
        [4, 3],
      ],
      [[0, 1]],
      true,
    ),
  );
  await h.putClusterAnswer(
    run,
    2,
    answer(
      2,
      [[5, 4]],
      [
        [1, 3],
        [2, 4],
      ],
      false,
    ),
  );
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('processCluster', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create(attack);
    await layOut(h);
  });
  afterEach(async () => {
    await h.cleanup();
  });
  const settle = (batches = 3) =>
    h.run(h.acts.processCluster, { run, chunks: 2, batches, maxFlowGapSeconds: 600 });

  it("relabels earlier batches' alerts through the union of later merges", async () => {
    const settled = await settle();
    expect(settled.clusters).toBe(2);
    const agg = await getJson<ClusteredAlert[]>(h.store, keys.aggAlert);
    // 0 -> 1 -> 3 collects alerts 0, 1, 3, 4; 2 -> 4 collects alerts 2 and 5.
    const labels = agg.map((a) => [a.i, a.cluster]);
    expect(labels).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [3, 0],
      [4, 0],
      [5, 1],
    ]);
    const summaries = await getJson<ClusterSummary[]>(h.store, keys.cluster);
    expect(summaries).toEqual([
      {
        id: 0,
        start: 100,
        end: 104,
        size: 4,
        entities: ['d', 's0', 's1', 's3', 's4'],
        techniques: ['T1059', 'T1566'],
        tactics: ['TA0001', 'TA0002'],
      },
      {
        id: 1,
        start: 102,
        end: 105,
        size: 2,
        entities: ['d', 's2', 's5'],
        techniques: [],
        tactics: [],
      },
    ]);
    const flowInput = await getJson<{ tacticOrder: string[]; clusters: unknown[] }>(
      h.store,
      settled.flowInputKey,
    );
    expect(flowInput.tacticOrder).toEqual(['TA0001', 'TA0002']);
    expect(flowInput.clusters).toEqual(summaries);
  });

  it('fails loudly when an alert got no cluster', async () => {
    await expect(settle(2)).rejects.toThrow(/user-5 \(internal 5\) has no cluster/);
  });

  it('rejects a malformed cluster answer as InvalidModelOutput', async () => {
    await h.putClusterAnswer(run, 1, { batch: { index: 1, total: 3 }, assignments: 'no' });
    const failure = await failureOf(settle());
    expect(failure.type).toBe(failureTypes.invalidModelOutput);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('batch-00001/out/input.json.out');
  });

  it('lets writeOutputs refuse a flow answer that leaves a cluster out', async () => {
    await settle();
    const flowKey = `${keys.flowOutputPrefix}/input.json.out`;
    await putJson(h.store, flowKey, { flows: [{ id: 0, clusters: [0], edges: [] }] });
    const failure = await failureOf(h.run(h.acts.writeOutputs, { run, flowOutputKey: flowKey }));
    expect(failure.type).toBe(failureTypes.invalidModelOutput);
    expect(failure.message).toMatch(/clusters 1 are in no flow/);
  });
});

describe('buildClusterInput', () => {
  it("carries the last answer's state on and stops when it asks for no further batch", async () => {
    const h = await Harness.create(attack);
    try {
      await layOut(h);
      await putJson(h.store, keys.clusterSlice(1), [alert(3), alert(4)]);
      await putJson(h.store, `${keys.scratch}/weights.json`, { node: {}, event: { 'port=22': 2 } });
      await putJson(h.store, keys.nodeFeature, { s3: { OS: 'Linux' } });
      const previous = `${keys.clusterOutputPrefix(0)}/input.json.out`;
      const args = {
        run,
        batch: 1,
        totalBatches: 3,
        previousOutputKey: previous,
        windowSeconds: 60,
      };
      const step = await h.run(h.acts.buildClusterInput, args);
      expect(step.done).toBe(false);
      const input = await getJson<ClusterModelInput>(h.store, step.done ? '' : step.inputKey);
      expect(input.state).toEqual(state);
      expect(input.batch).toEqual({ index: 1, total: 3 });
      expect(input.alerts.map((a) => a.i)).toEqual([3, 4]);
      expect(input.weights.event).toEqual({ 'port=22': 2 });
      expect(input.nodeFeature).toEqual({ s3: { OS: 'Linux' } });

      const last = `${keys.clusterOutputPrefix(2)}/input.json.out`;
      expect(
        await h.run(h.acts.buildClusterInput, { ...args, batch: 3, previousOutputKey: last }),
      ).toEqual({ done: true });
    } finally {
      await h.cleanup();
    }
  });
});
