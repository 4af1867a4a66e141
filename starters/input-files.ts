import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import path from 'node:path';
import { JSONParser } from '@streamparser/json';
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

/** How much of a file the format guess reads: the first records, never the whole file. */
const sniffBytes = 256 * 1024;
const internalFields = ['id', 'time', 'src', 'dst', 'name'];

/**
 * An internal-format file is one JSON document (`{"input": [...]}` or a bare array) whose records
 * use the internal field names; anything else (gzip, JSON lines, Splunk, Elastic or Suricata
 * records) is an export. Only the first records are read, so the guess costs the same for a
 * file of any size, and an internal file with broken records still counts as internal: its
 * records are then rejected one by one with their reasons, not mistaken for an export.
 */
export function looksInternal(body: Buffer): boolean {
  if (body[0] === 0x1f && body[1] === 0x8b) return false;
  const text = body.toString('utf8', 0, sniffBytes).replace(/^\uFEFF/, '');
  if (looksLikeJsonLines(text)) return false;
  const first = firstRecord(text);
  if (first === 'no-input') return false;
  // Nothing readable (empty, truncated, or `input` of the wrong type): the internal format's
  // reader gives the clear error, naming the field, rather than a guess.
  if (first === undefined) return true;
  const internal = internalFields.filter((f) => f in first).length;
  const exportMarks = Object.keys(first).filter((k) => /^[_@]/.test(k)).length;
  return internal >= 3 && exportMarks === 0;
}

/** Two or more lines that each hold a whole JSON object. */
function looksLikeJsonLines(text: string): boolean {
  const lines = text.split('\n', 3).filter((l) => l.trim() !== '');
  if (lines.length < 2) return false;
  try {
    const doc: unknown = JSON.parse(lines[0]!);
    return typeof doc === 'object' && doc !== null && !Array.isArray(doc);
  } catch {
    return false;
  }
}

/**
 * The first object record of `{"input": [...]}` or of a bare array; 'no-input' for an object
 * document without an `input` field (a single exported event).
 */
function firstRecord(text: string): Record<string, unknown> | 'no-input' | undefined {
  const trimmed = text.trimStart();
  const parser = new JSONParser({
    paths: trimmed.startsWith('[') ? ['$.*'] : ['$.input.*', '$.input'],
    keepStack: false,
  });
  let found: Record<string, unknown> | undefined;
  let inputSeen = false;
  parser.onValue = ({ value, key }) => {
    if (key === 'input') inputSeen = true;
    else if (!found && value && typeof value === 'object' && !Array.isArray(value))
      found = value as Record<string, unknown>;
  };
  try {
    parser.write(trimmed);
  } catch {
    // A prefix ends mid-document; what was read before that is enough.
  }
  if (found) return found;
  if (trimmed.startsWith('{') && !inputSeen && !/"input"\s*:/.test(trimmed)) return 'no-input';
  return undefined;
}

async function copyIn(store: ObjectStore, file: string, source: InputSource): Promise<string> {
  const internal = source === 'internal' || (source === 'auto' && looksInternal(await head(file)));
  const key = `${internal ? prefixes.input : prefixes.splunkInput}${path.basename(file)}`;
  if (!(await sameContent(store, key, file))) await store.putFile(key, file);
  return key;
}

/** The start of a file: enough to guess its format. */
async function head(file: string): Promise<Buffer> {
  const handle = await open(file);
  try {
    const buffer = Buffer.alloc(sniffBytes);
    const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Whether the store already holds exactly this file, so that naming the same file again does
 * not rewrite it (and wake the watcher). Both sides are hashed as streams: files may be large.
 */
async function sameContent(store: ObjectStore, key: string, file: string): Promise<boolean> {
  const existing = await store.head(key);
  if (!existing || existing.size !== (await stat(file)).size) return false;
  const [stored, local] = await Promise.all([
    sha256(await store.openReadStream(key)),
    sha256(createReadStream(file)),
  ]);
  return stored === local;
}

async function sha256(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const piece of stream) hash.update(piece as Buffer);
  return hash.digest('hex');
}
