import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackCatalog } from '../../core/attack.js';
import { runKeys, techniqueLookupKey } from '../../core/keys.js';
import {
  clusterFileSchema,
  enrichAlertInputSchema,
  eventFileSchema,
  flowFileSchema,
} from '../../core/output-formats.js';
import { getJson, putJson } from '../../core/store/index.js';
import { loadAttackBundle, skipWithoutBundle } from '../models/attack-bundle.js';
import { Harness } from './pipeline-harness.js';

const names = [
  'Brute Force attempt on ssh',
  'Process Injection detected in svchost',
  'Network Service Discovery scan',
  'Data Encrypted for Impact on file share',
  'zzqx unknown vendor signal',
];
const t0 = 1716468856.2;
/** 14 good alerts over two attacks on two hosts, plus three bad records. */
const records: unknown[] = [
  ...Array.from({ length: 14 }, (_, n) => ({
    id: `evt-${n}`,
    time: t0 + n * 60,
    src: n % 2 === 0 ? 'host-a' : 'host-b',
    dst: n % 2 === 0 ? '10.0.0.5' : '10.0.9.9',
    name: names[n % names.length],
    ...(n === 3 ? { tech: ['T1059'] } : {}),
    other_attributes_dict: { priority: (n % 3) + 1, port: 22, url: `http://x${n % 2}.example/` },
  })),
  { id: 'evt-0', time: t0, src: 'a', dst: 'b', name: 'duplicate' },
  { id: 'no-src', time: t0, dst: 'b', name: 'missing src' },
  { id: 'bad-port', time: t0, src: 'a', dst: 'b', name: 'n', other_attributes_dict: { port: 1e6 } },
];
const inputFile = { input: records, node_feature: { 'host-a': { OS: 'Windows' }, bad: 'x' } };

describe.skipIf(skipWithoutBundle)('activities end to end on a local store', () => {
  let h: Harness;
  const run = 'day1-abc';
  let result: Awaited<ReturnType<Harness['runPipeline']>>;
  beforeAll(async () => {
    h = await Harness.create(skipWithoutBundle ? AttackCatalog.empty('skip') : loadAttackBundle());
    await putJson(h.store, 'input/day1.json', inputFile);
    result = await h.runPipeline(run, 'input/day1.json', 4, 5);
  });
  afterAll(async () => {
    await h?.cleanup();
  });

  it('prepares chunks, the id map, the chunk map and the rejected records', async () => {
    const keys = runKeys(run);
    expect(result.prepared).toMatchObject({ alerts: 14, rejected: 4, chunks: 4, lookupHits: 0 });
    const userIds = records.slice(0, 14).map((r) => (r as { id: string }).id);
    expect(await getJson(h.store, keys.idMap)).toEqual(userIds);
    const chunkMap = { 0: [0, 3], 1: [4, 7], 2: [8, 11], 3: [12, 13] };
    expect(await getJson(h.store, keys.chunkMap)).toEqual(chunkMap);
    expect(await getJson(h.store, keys.nodeFeature)).toEqual({ 'host-a': { OS: 'Windows' } });
    const rejected = await getJson<{ field: string; id?: string }[]>(h.store, keys.rejected);
    expect(rejected.map((r) => [r.id, r.field])).toEqual([
      ['evt-0', 'id'],
      ['no-src', 'src'],
      ['bad-port', 'other_attributes_dict.port'],
      [undefined, 'node_feature.bad'],
    ]);
    expect(result.prepared.techniqueInputs.every((k) => k !== null)).toBe(true);
  });

  it('tags alerts from the classifier and keeps techniques the input gave', async () => {
    expect(result.enriched.taggedAlerts).toBeGreaterThanOrEqual(10);
    const events = eventFileSchema.parse(await getJson(h.store, result.outputs.eventKey)).events;
    const brute = events.find((e) => e.id === 'evt-0');
    expect(brute?.techniques).toContain('T1110');
    expect(brute?.tactics).toContain('TA0006');
    expect(events.find((e) => e.id === 'evt-3')?.techniques).toEqual(['T1059']);
    expect(events.find((e) => e.id === 'evt-4')?.techniques).toEqual([]);
  });

  it('writes outputs that match the published schemas, each alert exactly once', async () => {
    const { outputs } = result;
    const events = eventFileSchema.parse(await getJson(h.store, outputs.eventKey));
    const clusters = clusterFileSchema.parse(await getJson(h.store, outputs.clusterKey));
    const flows = flowFileSchema.parse(await getJson(h.store, outputs.flowKey));
    const enrichRaw = await getJson(h.store, outputs.enrichAlertInputKey);
    const enrich = enrichAlertInputSchema.parse(enrichRaw);
    expect(outputs.eventKey).toBe(`output/${run}/event.json`);
    expect(events.run).toBe(run);
    const ids = events.events.map((e) => e.id).sort();
    expect(ids).toEqual(Array.from({ length: 14 }, (_, n) => `evt-${n}`).sort());

    const clusterIds = new Set(clusters.clusters.map((c) => c.id));
    const inClusters = clusters.clusters.flatMap((c) => c.alert_ids).sort();
    expect(inClusters).toEqual(ids);
    for (const c of clusters.clusters) expect(c.size).toBe(c.alert_ids.length);
    for (const e of events.events) expect(clusterIds.has(e.cluster)).toBe(true);

    const flowIds = new Set(flows.flows.map((f) => f.id));
    expect(flows.flows.flatMap((f) => f.cluster_ids).sort()).toEqual([...clusterIds].sort());
    for (const e of events.events) expect(flowIds.has(e.flow)).toBe(true);
    expect(enrich.clusters).toHaveLength(clusterIds.size);
    for (const entry of enrich.clusters) {
      // Written for every cluster: this run names no ticket thresholds.
      expect(await h.store.exists(entry.alertsKey ?? '(absent)')).toBe(true);
      expect(entry.priorities).toHaveLength(entry.cluster.size);
    }
    expect(await h.store.list(`output/${run}/`)).toEqual(
      ['cluster.json', 'event.json', 'flow.json'].map((f) => `output/${run}/${f}`),
    );
  });

  it('ran the cluster loop over every batch', () => {
    expect(result.enriched.clusterBatches).toBe(3);
    expect(result.batches).toBe(3);
    expect(result.settled.clusters).toBeGreaterThanOrEqual(2);
  });

  it('adds the classified names to the lookup table, and a second run uses them', async () => {
    const table = await getJson<Record<string, string[]>>(h.store, techniqueLookupKey);
    expect(table['Brute Force attempt on ssh']).toContain('T1110');
    expect(table['zzqx unknown vendor signal']).toBeUndefined();
    expect(result.lookup.added).toBe(Object.keys(table).length);

    const again = await h.run(h.acts.updateLookupTable, {
      run,
      techniqueOutputs: result.techniqueOutputs,
    });
    expect(again).toEqual({ added: 0, size: result.lookup.size });

    await putJson(h.store, 'input/day2.json', inputFile);
    const second = await h.run(h.acts.prepareInput, {
      run: 'day2-def',
      inputKey: 'input/day2.json',
      chunkSize: 100,
    });
    const known = (records.slice(0, 14) as { name: string }[]).filter((r) => r.name in table);
    expect(second.lookupHits).toBe(known.length);
    expect(second.lookupHits).toBeGreaterThan(0);
    const modelInput = await getJson<{ names: string[] }>(h.store, second.techniqueInputs[0]!);
    expect(modelInput.names).toContain('zzqx unknown vendor signal');
    expect(modelInput.names).not.toContain('Brute Force attempt on ssh');
  });

  it('logs each step with the run and heartbeats long steps', () => {
    const sanitised = h.logger.lines.find((l) => l.message === 'input sanitised');
    expect(sanitised?.meta).toMatchObject({ run, alerts: 14, rejected: 4, chunks: 4 });
    expect(h.heartbeats.length).toBeGreaterThan(0);
  });
});
