import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ObjectStore } from '../../core/store/index.js';

/** Opens an object as a byte stream without reading it whole. */
export async function openObjectStream(store: ObjectStore, key: string): Promise<Readable> {
  return store.openReadStream(key);
}

/**
 * Yields the bytes of a plain or gzip stream, told apart by the gzip magic bytes (1f 8b) rather
 * than by the name: Splunk exports arrive as `.json.gz`, `.json__.gz` or with no extension.
 */
export async function* decompressedBytes(input: Readable, file: string): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await it.next();
    if (next.done) break;
    head = Buffer.concat([head, next.value]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    yield* all();
    return;
  }
  const gunzip = createGunzip();
  pipeline(Readable.from(all()), gunzip, () => {});
  try {
    for await (const piece of gunzip) yield piece as Buffer;
  } catch (err) {
    throw new Error(`${file}: gzip data is damaged or cut short: ${(err as Error).message}`, {
      cause: err,
    });
  }
}
