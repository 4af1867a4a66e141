import type { Readable } from 'node:stream';

/**
 * The one interface to the object store. Keys are slash-separated, relative, and the same on
 * local disk and S3 (see DESIGN.md section 4).
 */
export interface ObjectStore {
  /** A human-readable location, e.g. `file:///data/store` or `s3://bucket`. */
  readonly location: string;
  get(key: string): Promise<Buffer>;
  /** The object as a byte stream, for inputs too large to hold in memory. */
  openReadStream(key: string): Promise<Readable>;
  /** Returns undefined when the key does not exist. */
  getIfExists(key: string): Promise<Buffer | undefined>;
  put(key: string, body: Buffer | string): Promise<void>;
  /** Copies a local file in without holding it in memory (inputs of any size). */
  putFile(key: string, file: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** Size and a version tag (mtime or ETag); undefined when the key does not exist. */
  head(key: string): Promise<ObjectHead | undefined>;
  /** Every key under a prefix, sorted. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
  /** Where a key (or a prefix ending in `/`) lives, for people: a path or an s3:// URL. */
  describe(key: string): string;
}

export interface ObjectHead {
  size: number;
  version: string;
  /** When the object was last written (file mtime, S3 LastModified), for `backfill --since`. */
  modified?: Date;
}

export class ObjectNotFoundError extends Error {
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`object not found: ${key} (in ${location})`);
    this.name = 'ObjectNotFoundError';
  }
}

export class InvalidKeyError extends Error {
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`invalid object key ${JSON.stringify(key)}: ${reason}`);
    this.name = 'InvalidKeyError';
  }
}

/** Rejects keys that could escape the store's root or that S3 and disk would read differently. */
export function validateKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError(key, 'empty');
  if (key.length > 1024) throw new InvalidKeyError(key.slice(0, 64), 'longer than 1024 characters');
  if (key.startsWith('/')) throw new InvalidKeyError(key, 'must be relative');
  if (key.includes('\\')) throw new InvalidKeyError(key, 'backslashes are not allowed');
  if (/[\u0000-\u001f]/.test(key)) throw new InvalidKeyError(key, 'control characters');
  for (const part of key.split('/')) {
    if (part === '..' || part === '.') throw new InvalidKeyError(key, `"${part}" segments`);
  }
  if (key.endsWith('/') || key.includes('//')) throw new InvalidKeyError(key, 'empty path segment');
  return key;
}

export async function getJson<T = unknown>(store: ObjectStore, key: string): Promise<T> {
  const body = await store.get(key);
  return JSON.parse(body.toString('utf8')) as T;
}

export async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, JSON.stringify(value));
}
