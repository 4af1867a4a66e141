import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  getJson,
  InvalidKeyError,
  ObjectNotFoundError,
  putJson,
  type ObjectStore,
} from '../../core/store/index.js';

/** Keys that must be refused by every store, whatever the backend. */
export const invalidKeys = [
  '',
  '/etc/passwd',
  '../x',
  'a/../../x',
  'a/./b',
  '.',
  'a/..',
  'a\\b',
  '..\\x',
  'a/\u0000b',
  'a\nb',
  'a//b',
  'a/',
  'x'.repeat(1025),
];

/**
 * The behaviour every ObjectStore promises, run against each backend so that local disk and S3
 * stay interchangeable. `makeStore` returns a store over an empty root or bucket prefix.
 */
export function describeObjectStoreContract(
  name: string,
  makeStore: () => Promise<ObjectStore>,
  options: { skip?: boolean; manyKeys?: number } = {},
): void {
  describe.skipIf(options.skip ?? false)(`ObjectStore contract: ${name}`, () => {
    it('puts and gets strings and buffers byte for byte', async () => {
      const store = await makeStore();
      await store.put('a/b/text.txt', 'héllo');
      const bytes = Buffer.from([0, 1, 2, 255, 254]);
      await store.put('a/bin', bytes);
      expect((await store.get('a/b/text.txt')).toString('utf8')).toBe('héllo');
      expect(Buffer.compare(await store.get('a/bin'), bytes)).toBe(0);
      await store.put('a/b/text.txt', 'second');
      expect((await store.get('a/b/text.txt')).toString('utf8')).toBe('second');
    });

    it('streams an object in pieces with the same bytes as get', async () => {
      const store = await makeStore();
      const body = Buffer.alloc(3 << 20, 'alert ');
      await store.put('big/object.bin', body);
      const pieces: Buffer[] = [];
      for await (const piece of await store.openReadStream('big/object.bin')) pieces.push(piece);
      expect(Buffer.compare(Buffer.concat(pieces), body)).toBe(0);
      await expect(store.openReadStream('big/missing.bin')).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
    });

    it('copies a local file in, replacing what was there', async () => {
      const store = await makeStore();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'store-put-file-'));
      try {
        const file = path.join(dir, 'alerts.json');
        const body = Buffer.alloc(2 << 20, '{"input": []} ');
        writeFileSync(file, body);
        await store.put('input/alerts.json', 'older');
        await store.putFile('input/alerts.json', file);
        expect(Buffer.compare(await store.get('input/alerts.json'), body)).toBe(0);
        await expect(store.putFile('input/missing.json', path.join(dir, 'nope'))).rejects.toThrow(
          /ENOENT/,
        );
        expect(await store.exists('input/missing.json')).toBe(false);
        await expect(store.putFile('../x', file)).rejects.toBeInstanceOf(InvalidKeyError);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('reports missing objects the documented way', async () => {
      const store = await makeStore();
      await expect(store.get('nope/missing.json')).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(store.get('nope/missing.json')).rejects.toThrow(/nope\/missing\.json/);
      expect(await store.getIfExists('nope/missing.json')).toBeUndefined();
      expect(await store.exists('nope/missing.json')).toBe(false);
      expect(await store.head('nope/missing.json')).toBeUndefined();
      await store.put('file', 'x');
      expect(await store.getIfExists('file/below')).toBeUndefined();
      expect(await store.exists('file/below')).toBe(false);
      expect(await store.list('file/below/')).toEqual([]);
    });

    it('heads with the size and a version that changes with the content', async () => {
      const store = await makeStore();
      const before = Date.now();
      await store.put('h/obj', '12345');
      const first = await store.head('h/obj');
      // S3's LastModified has whole seconds: allow for the truncation.
      const earliest = Math.floor(before / 1000) * 1000 - 1000;
      expect(first?.modified?.getTime()).toBeGreaterThanOrEqual(earliest);
      expect(first?.size).toBe(5);
      expect(first?.version).not.toBe('');
      expect(await store.exists('h/obj')).toBe(true);
      await new Promise((r) => setTimeout(r, 20));
      await store.put('h/obj', '1234567');
      const second = await store.head('h/obj');
      expect(second?.size).toBe(7);
      expect(second?.version).not.toBe(first?.version);
    });

    it('lists every key under a prefix, sorted, and nothing outside it', async () => {
      const store = await makeStore();
      for (const key of ['p/b.json', 'p/a.json', 'p/sub/c.json', 'pq/d.json', 'other/e.json']) {
        await store.put(key, key);
      }
      expect(await store.list('p/')).toEqual(['p/a.json', 'p/b.json', 'p/sub/c.json']);
      expect(await store.list('p')).toEqual(['p/a.json', 'p/b.json', 'p/sub/c.json', 'pq/d.json']);
      expect(await store.list('p/s')).toEqual(['p/sub/c.json']);
      expect(await store.list('empty/')).toEqual([]);
      expect(await store.list('')).toContain('other/e.json');
    });

    it('deletes objects, and deleting a missing one is not an error', async () => {
      const store = await makeStore();
      await store.put('d/one', '1');
      await store.delete('d/one');
      expect(await store.exists('d/one')).toBe(false);
      expect(await store.list('d/')).toEqual([]);
      await expect(store.delete('d/one')).resolves.toBeUndefined();
    });

    it('round-trips JSON with putJson and getJson', async () => {
      const store = await makeStore();
      await putJson(store, 'j/v.json', { a: [1, 'two', null] });
      expect(await getJson(store, 'j/v.json')).toEqual({ a: [1, 'two', null] });
    });

    it('treats odd but harmless names as plain names', async () => {
      const store = await makeStore();
      for (const key of ['%2e%2e/x', '..a/b', 'a../b', 'sp ace/ü.json', 'a/.hidden']) {
        await store.put(key, key);
        expect((await store.get(key)).toString('utf8')).toBe(key);
      }
      expect(await store.list('%2e%2e/')).toEqual(['%2e%2e/x']);
      expect(store.describe('a/b')).toMatch(/a\/b$/);
      expect(store.describe('a/b/')).toMatch(/a\/b\/$/);
    });

    it('rejects invalid keys in every operation', async () => {
      const store = await makeStore();
      for (const key of invalidKeys) {
        await expect(store.put(key, 'x'), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.getIfExists(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.exists(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(store.openReadStream(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        // A prefix ending in one slash is a folder to describe, not an object key.
        if (key !== 'a/') expect(() => store.describe(key), key).toThrow(InvalidKeyError);
      }
    });

    const many = options.manyKeys ?? 0;
    it.runIf(many > 0)(`lists all of ${many} keys (past one page of 1000)`, async () => {
      const store = await makeStore();
      const keys = Array.from({ length: many }, (_, n) => `many/k-${String(n).padStart(5, '0')}`);
      for (let start = 0; start < keys.length; start += 50) {
        await Promise.all(keys.slice(start, start + 50).map((k) => store.put(k, 'x')));
      }
      const listed = await store.list('many/');
      expect(listed).toHaveLength(many);
      expect(listed).toEqual(keys);
    });
  });
}
