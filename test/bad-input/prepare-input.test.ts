import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedInput } from '../../activities/prepare-input.js';
import { AttackCatalog } from '../../core/attack.js';
import type { RejectedRecord } from '../../core/formats.js';
import { runKeys } from '../../core/keys.js';
import { getJson, InvalidKeyError, validateKey } from '../../core/store/index.js';
import { Harness } from '../activities/pipeline-harness.js';
import { acceptedOddities, badInputCorpus, badKeys } from './corpus.js';

let h: Harness;
beforeAll(async () => {
  h = await Harness.create(AttackCatalog.empty('bad-input'));
});
afterAll(async () => h?.cleanup());

let counter = 0;
/** One file through the real prepareInput activity, under its own key and run. */
async function prepare(body: Buffer) {
  const n = ++counter;
  const inputKey = `input/bad-${n}.json`;
  const run = `bad-${n}`;
  await h.store.put(inputKey, body);
  let prepared: PreparedInput | undefined;
  let error: unknown;
  try {
    prepared = await h.run(h.acts.prepareInput, { run, inputKey, chunkSize: 1000 });
  } catch (err) {
    error = err;
  }
  return { inputKey, run, prepared, error };
}

describe('the bad-input corpus through prepareInput', () => {
  it('has at least twenty kinds of broken input', () => {
    expect(badInputCorpus.length).toBeGreaterThanOrEqual(20);
  });

  it.each(badInputCorpus)('$name', async ({ body, expect: wanted }) => {
    const outcome = await prepare(body);
    if (wanted.kind === 'fails') {
      expect(outcome.error, 'the whole file should fail').toBeInstanceOf(ApplicationFailure);
      const failure = outcome.error as ApplicationFailure;
      expect(failure.type).toBe(wanted.type);
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toContain(outcome.inputKey);
      expect(failure.message).toMatch(wanted.message);
      return;
    }
    expect(outcome.error).toBeUndefined();
    expect(outcome.prepared).toMatchObject({
      alerts: wanted.accepted,
      rejected: wanted.rejected.length,
    });
    const rejected = await getJson<RejectedRecord[]>(h.store, runKeys(outcome.run).rejected);
    expect(rejected).toHaveLength(wanted.rejected.length);
    for (const [n, want] of wanted.rejected.entries()) {
      const got = rejected[n]!;
      expect(got.file).toBe(outcome.inputKey);
      expect({ index: got.index, field: got.field }).toEqual({
        index: want.index,
        field: want.field,
      });
      expect(got.reason).toMatch(want.reason);
    }
    // What was accepted is what the later steps read: nothing of the bad record leaks through.
    const ids = await getJson<string[]>(h.store, runKeys(outcome.run).idMap);
    expect(ids).toHaveLength(wanted.accepted);
    for (const id of ids) expect(id).toMatch(/^[\w-]+$/);
  });

  it.each(acceptedOddities)('accepts $name', async ({ body, accepted }) => {
    const outcome = await prepare(body);
    expect(outcome.error).toBeUndefined();
    expect(outcome.prepared).toMatchObject({ alerts: accepted, rejected: 0 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('bad object keys', () => {
  it.each(badKeys)('refuses $key', async ({ key, reason }) => {
    expect(() => validateKey(key)).toThrow(InvalidKeyError);
    expect(() => validateKey(key)).toThrow(reason);
    // Through the store as every activity uses it: nothing is read or written.
    await expect(h.store.put(key, 'x')).rejects.toThrow(InvalidKeyError);
    await expect(h.store.getIfExists(key)).rejects.toThrow(InvalidKeyError);
  });

  it('refuses a bad key given to prepareInput as its input', async () => {
    const run = h.run(h.acts.prepareInput, {
      run: 'bad-key',
      inputKey: '../outside.json',
      chunkSize: 1000,
    });
    await expect(run).rejects.toThrow(/invalid object key "\.\.\/outside\.json": "\.\." segments/);
  });
});
