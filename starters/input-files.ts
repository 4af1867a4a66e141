import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { prefixes } from '../core/keys.js';
import type { ObjectStore } from '../core/store/index.js';

/**
 * Turns what the user named (local files, a folder, or keys already in the store) into store
 * keys under `input/`, copying local files in.
 */
export async function resolveInputs(store: ObjectStore, targets: string[]): Promise<string[]> {
  const keys: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(target)).filter((n) => /\.(json|jsonl)$/i.test(n)).sort();
      if (names.length === 0) throw new Error(`${target}: the folder holds no .json files`);
      for (const name of names) keys.push(await copyIn(store, path.join(target, name)));
    } else if (info?.isFile()) {
      keys.push(await copyIn(store, target));
    } else if (await store.exists(target)) {
      keys.push(target);
    } else {
      throw new Error(`${target}: no such file, folder or object in ${store.location}`);
    }
  }
  return keys;
}

async function copyIn(store: ObjectStore, file: string): Promise<string> {
  const key = `${prefixes.input}${path.basename(file)}`;
  const body = await readFile(file);
  const existing = await store.getIfExists(key);
  if (!existing || !existing.equals(body)) await store.put(key, body);
  return key;
}
