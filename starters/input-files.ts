import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { prefixes } from '../core/keys.js';
import type { ObjectStore } from '../core/store/index.js';

export type InputSource = 'auto' | 'internal' | 'splunk';

/**
 * Turns what the user named (local files, a folder, or keys already in the store) into store
 * keys, copying local files in: internal-format files under `input/`, SIEM exports under
 * `splunk_input/input/` where the VRL mappings turn them into the internal format.
 */
export async function resolveInputs(
  store: ObjectStore,
  targets: string[],
  source: InputSource = 'auto',
): Promise<string[]> {
  const keys: string[] = [];
  for (const target of targets) {
    const info = await stat(target).catch(() => undefined);
    if (info?.isDirectory()) {
      const names = (await readdir(target)).filter((n) => /\.(json|jsonl|gz)$/i.test(n)).sort();
      if (names.length === 0)
        throw new Error(`${target}: the folder holds no .json, .jsonl or .gz files`);
      for (const name of names) keys.push(await copyIn(store, path.join(target, name), source));
    } else if (info?.isFile()) {
      keys.push(await copyIn(store, target, source));
    } else if (await store.exists(target)) {
      keys.push(target);
    } else {
      throw new Error(`${target}: no such file, folder or object in ${store.location}`);
    }
  }
  return keys;
}

/**
 * An internal-format file is one JSON document whose `input` records carry the required
 * fields; anything else (gzip, JSON lines, Splunk, Elastic or Suricata records) is an export.
 */
export function looksInternal(body: Buffer): boolean {
  if (body[0] === 0x1f && body[1] === 0x8b) return false;
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    // Not one JSON document: JSON lines are an export; any other broken file gets the
    // internal format's clear error rather than a guess.
    const lines = body
      .toString('utf8', 0, 1 << 16)
      .split('\n')
      .filter((l) => l.trim() !== '');
    return !(lines.length > 1 && lines.every((l) => l.trimStart().startsWith('{')));
  }
  const records = Array.isArray(doc) ? doc : (doc as { input?: unknown })?.input;
  if (!Array.isArray(records)) return false;
  const first = records.find((r) => r && typeof r === 'object') as
    Record<string, unknown> | undefined;
  if (!first) return true;
  return typeof first.time === 'number' && 'src' in first && 'dst' in first && 'name' in first;
}

async function copyIn(store: ObjectStore, file: string, source: InputSource): Promise<string> {
  const body = await readFile(file);
  const internal = source === 'internal' || (source === 'auto' && looksInternal(body));
  const key = `${internal ? prefixes.input : prefixes.splunkInput}${path.basename(file)}`;
  const existing = await store.getIfExists(key);
  if (!existing || !existing.equals(body)) await store.put(key, body);
  return key;
}
