import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { JsonListFile, putJsonDocument, WritePool } from '../../activities/json-pieces.js';
import { LocalObjectStore, type ObjectStore } from '../../core/store/index.js';

const records = Array.from({ length: 4500 }, (_, n) => ({
  id: `a${n}`,
  name: n % 7 === 0 ? 'quote " and \\ and \u2028 and \u00e9' : 'plain',
  gone: undefined,
  list: n % 3 === 0 ? [] : [n, null, 'x'],
}));

/** What a list stored through a temporary file reads back as, from a store of its own. */
async function stored(fill: (store: ObjectStore) => Promise<void>): Promise<string> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'json-list-file-'));
  try {
    const store = new LocalObjectStore(root);
    await fill(store);
    return (await store.get('output/list.json')).toString('utf8');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const listOf = (texts: (string | undefined)[]) => async (store: ObjectStore) => {
  const list = new JsonListFile();
  for (const text of texts) list.add(text);
  await list.put(store, 'output/list.json');
};

describe('json lists written record by record', () => {
  it('writes the very bytes JSON.stringify writes, across many pieces', async () => {
    expect(await stored(listOf(records.map((r) => JSON.stringify(r))))).toBe(
      JSON.stringify(records),
    );
    const head = { run: 'r-1', outputPrefix: 'output/r-1' };
    expect(
      await stored((store) =>
        putJsonDocument(store, 'output/list.json', head, 'events', records, (r) => r),
      ),
    ).toBe(JSON.stringify({ ...head, events: records }));
  });

  it('handles empty lists, an empty head and records with no JSON form', async () => {
    expect(await stored(listOf([]))).toBe('[]');
    expect(
      await stored((store) =>
        putJsonDocument(store, 'output/list.json', {}, 'flows', [], (r) => r),
      ),
    ).toBe('{"flows":[]}');
    expect(await stored(listOf([undefined, undefined]))).toBe(
      JSON.stringify([undefined, undefined]),
    );
  });

  it('maps each record on the way out', async () => {
    const out = await stored((store) =>
      putJsonDocument(store, 'output/list.json', { run: 'r' }, 'ids', records, (r) => r.id),
    );
    expect(JSON.parse(out)).toEqual({ run: 'r', ids: records.map((r) => r.id) });
  });
});

describe('WritePool', () => {
  it('writes every item once, never more than the limit at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const written: number[] = [];
    const pool = new WritePool(4);
    for (let n = 0; n < 50; n++) {
      await pool.add(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, n % 3));
        written.push(n);
        inFlight--;
      });
    }
    await pool.drain();
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(most).toBe(4);
  });

  it('fails the whole when one write fails', async () => {
    const pool = new WritePool(2);
    const writeAll = async (): Promise<void> => {
      await pool.add(() => Promise.reject(new Error('disk full')));
      await pool.add(() => Promise.resolve());
      await pool.drain();
    };
    await expect(writeAll()).rejects.toThrow('disk full');
  });
});

describe('JsonListFile', () => {
  const spools = () =>
    readdirSync(os.tmpdir()).filter((name) => name.startsWith('alert-pipeline-list-'));

  it('stores the very bytes JSON.stringify writes and leaves no temporary file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'json-list-file-'));
    const before = spools();
    try {
      const store = new LocalObjectStore(root);
      const list = new JsonListFile();
      const doc = new JsonListFile({ fields: { run: 'r-1' }, field: 'events' });
      for (const r of records) {
        list.add(JSON.stringify(r));
        doc.add(JSON.stringify(r));
      }
      await list.put(store, 'output/list.json');
      await doc.put(store, 'output/doc.json');
      expect((await store.get('output/list.json')).toString()).toBe(JSON.stringify(records));
      expect((await store.get('output/doc.json')).toString()).toBe(
        JSON.stringify({ run: 'r-1', events: records }),
      );
      await putJsonDocument(store, 'output/ids.json', { run: 'r' }, 'ids', records, (r) => r.id);
      expect(JSON.parse((await store.get('output/ids.json')).toString())).toEqual({
        run: 'r',
        ids: records.map((r) => r.id),
      });
      const empty = new JsonListFile({ fields: {}, field: 'flows' });
      await empty.put(store, 'output/empty.json');
      expect((await store.get('output/empty.json')).toString()).toBe('{"flows":[]}');
      expect(spools()).toEqual(before);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('removes its temporary file when the store refuses the list, and when discarded', async () => {
    const before = spools();
    const refusing = {
      putFile: () => Promise.reject(new Error('writing output/x.json: ENOSPC')),
    } as unknown as ObjectStore;
    const list = new JsonListFile();
    list.add('1');
    await expect(list.put(refusing, 'output/x.json')).rejects.toThrow(/output\/x.json: ENOSPC/);
    const dropped = new JsonListFile();
    dropped.add('2');
    dropped.discard();
    expect(spools()).toEqual(before);
  });
});
