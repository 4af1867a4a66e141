import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidKeyError, LocalObjectStore } from '../../core/store/index.js';
import { describeObjectStoreContract, invalidKeys } from './object-store-contract.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'local-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Every file below a folder, relative, including the ones a store would hide. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describeObjectStoreContract(
  'LocalObjectStore',
  async () => {
    const outer = await tempDir();
    return new LocalObjectStore(path.join(outer, 'root'));
  },
  { manyKeys: 1100 },
);

describe('LocalObjectStore on disk', () => {
  it('keeps objects as plain files under the root and names them with a file URL', async () => {
    const root = await tempDir();
    const store = new LocalObjectStore(root);
    await store.put('input/day1.json', '{}');
    expect(await filesUnder(root)).toEqual([path.join('input', 'day1.json')]);
    expect(store.location).toBe(`file://${root}`);
    expect(store.describe('input/day1.json')).toBe(path.join(root, 'input', 'day1.json'));
  });

  it('writes atomically: concurrent puts leave one whole object, no .partial files', async () => {
    const root = await tempDir();
    const store = new LocalObjectStore(root);
    const bodies = Array.from({ length: 20 }, (_, n) => String(n).repeat(50_000));
    await Promise.all(bodies.map((b) => store.put('race/obj', b)));
    expect(bodies).toContain((await store.get('race/obj')).toString('utf8'));
    expect(await filesUnder(root)).toEqual([path.join('race', 'obj')]);
  });

  it('cleans up the temporary file when the rename fails', async () => {
    const root = await tempDir();
    const store = new LocalObjectStore(root);
    await store.put('dir/child', 'x');
    // `dir` is a folder, so writing an object at `dir` itself cannot replace it.
    await expect(store.put('dir', 'y')).rejects.toThrow();
    expect(await filesUnder(root)).toEqual([path.join('dir', 'child')]);
  });

  it('hides half-written .partial files from list', async () => {
    const root = await tempDir();
    const store = new LocalObjectStore(root);
    await store.put('in/a.json', 'a');
    await writeFile(path.join(root, 'in', 'b.json.1234.partial'), 'half');
    expect(await store.list('in/')).toEqual(['in/a.json']);
  });

  it('never touches anything outside the root, whatever the key', async () => {
    const outer = await tempDir();
    const root = path.join(outer, 'root');
    const store = new LocalObjectStore(root);
    await store.put('inside', 'ok');
    await writeFile(path.join(outer, 'secret'), 'do not read');
    const tricks = [...invalidKeys, '../secret', 'root/../../secret', '../root2/x'];
    tricks.push('%2e%2e/secret');
    for (const key of tricks) {
      await store.delete(key).catch(() => undefined);
      await store.put(key, 'overwritten').catch(() => undefined);
      const read = await store.getIfExists(key).catch(() => undefined);
      expect(read?.toString('utf8'), key).not.toBe('do not read');
    }
    expect(await filesUnder(outer)).toEqual(
      [path.join('root', '%2e%2e', 'secret'), path.join('root', 'inside'), 'secret'].sort(),
    );
    expect(await store.list('')).toEqual(['%2e%2e/secret', 'inside']);
  });

  it('refuses a list prefix that would climb out of the root', async () => {
    const store = new LocalObjectStore(await tempDir());
    await expect(store.list('../')).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.list('a/../../')).rejects.toBeInstanceOf(InvalidKeyError);
  });
});
