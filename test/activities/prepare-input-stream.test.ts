import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttackCatalog } from '../../core/attack.js';
import type { Alert, RejectedRecord } from '../../core/formats.js';
import { runKeys } from '../../core/keys.js';
import { getJson } from '../../core/store/index.js';
import { Harness } from './pipeline-harness.js';

const attack = new AttackCatalog([], [], 'empty catalogue');
const run = 'stream-run';
const keys = runKeys(run);
/** Over the store's 1 MiB read size, so the file reaches the step in several pieces. */
const count = 6000;
const padding = 'p'.repeat(200);

function record(n: number): unknown {
  if (n === 4500) return { id: 'evt-10', time: n, src: 'a', dst: 'b', name: 'repeat of evt-10' };
  if (n === 5999) return { id: 'late', time: n, dst: 'b', name: 'no src' };
  return { id: `evt-${n}`, time: n, src: 'a', dst: 'b', name: `n${n % 5}`, note: padding };
}

describe('prepareInput on a file read as a stream', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.create(attack);
  });
  afterEach(() => h.cleanup());

  it('keeps ids, chunks and rejections as one whole read would', async () => {
    const body = JSON.stringify({
      input: Array.from({ length: count }, (_, n) => record(n)),
      node_feature: { a: { OS: 'Linux' }, b: 'not an object' },
    });
    expect(body.length).toBeGreaterThan(1 << 20);
    await h.store.put('input/big.json', body);

    const prepared = await h.run(h.acts.prepareInput, {
      run,
      inputKey: 'input/big.json',
      chunkSize: 1000,
    });
    expect(prepared).toMatchObject({ alerts: count - 2, rejected: 3, chunks: 6 });
    // The step reported progress while reading, not once at the end.
    expect(h.heartbeats.length).toBeGreaterThan(1);

    const ids = await getJson<string[]>(h.store, keys.idMap);
    expect(ids).toHaveLength(count - 2);
    expect(ids.slice(4499, 4501)).toEqual(['evt-4499', 'evt-4501']);
    const chunkMap = await getJson<Record<string, [number, number]>>(h.store, keys.chunkMap);
    expect(chunkMap['0']).toEqual([0, 999]);
    expect(chunkMap['5']).toEqual([5000, count - 3]);
    const last = await getJson<Alert[]>(h.store, keys.chunk(5));
    expect(last.map((a) => a.i)).toEqual(Array.from({ length: 998 }, (_, n) => 5000 + n));

    const rejected = await getJson<RejectedRecord[]>(h.store, keys.rejected);
    expect(rejected.map((r) => [r.index, r.id, r.field])).toEqual([
      [4500, 'evt-10', 'id'],
      [5999, 'late', 'src'],
      [-1, undefined, 'node_feature.b'],
    ]);
    expect(rejected[0]!.reason).toBe('duplicate id');
    expect(await getJson(h.store, keys.nodeFeature)).toEqual({ a: { OS: 'Linux' } });
  });

  it('fails on a file cut off in the middle, naming the record reached', async () => {
    const body = JSON.stringify({ input: Array.from({ length: count }, (_, n) => record(n)) });
    await h.store.put('input/cut.json', body.slice(0, Math.floor(body.length * 0.7)));
    await expect(
      h.run(h.acts.prepareInput, { run, inputKey: 'input/cut.json', chunkSize: 1000 }),
    ).rejects.toThrow(/input\/cut\.json: not valid JSON \(the file ends too early.* \d{4} records/);
  });
});
