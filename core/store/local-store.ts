import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import {
  ObjectNotFoundError,
  validateKey,
  type ObjectHead,
  type ObjectStore,
} from './object-store.js';

/** The embedded default: objects are files under one root folder. */
export class LocalObjectStore implements ObjectStore {
  readonly location: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
    this.location = pathToFileURL(this.root).href;
  }

  private pathOf(key: string): string {
    validateKey(key);
    const full = path.resolve(this.root, key);
    if (full !== this.root && !full.startsWith(this.root + path.sep)) {
      throw new Error(`object key ${JSON.stringify(key)} escapes the store root`);
    }
    return full;
  }

  describe(key: string): string {
    const folder = key.endsWith('/');
    return folder ? `${this.pathOf(key.slice(0, -1))}${path.sep}` : this.pathOf(key);
  }

  async get(key: string): Promise<Buffer> {
    const found = await this.getIfExists(key);
    if (found === undefined) throw new ObjectNotFoundError(key, this.location);
    return found;
  }

  async openReadStream(key: string): Promise<Readable> {
    const file = this.pathOf(key);
    if (!(await this.exists(key))) throw new ObjectNotFoundError(key, this.location);
    return createReadStream(file, { highWaterMark: 1 << 20 });
  }

  async getIfExists(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (err) {
      if (missing(err) || (err as NodeJS.ErrnoException).code === 'EISDIR') return undefined;
      throw err;
    }
  }

  /** Writes to a temporary file first so that readers never see half an object. */
  async put(key: string, body: Buffer | string): Promise<void> {
    await this.writeAtomically(key, (tmp) => writeFile(tmp, body));
  }

  async putFile(key: string, source: string): Promise<void> {
    await this.writeAtomically(key, (tmp) => copyFile(source, tmp));
  }

  /** Readers see the old object or the new one, never half a file. */
  private async writeAtomically(key: string, write: (tmp: string) => Promise<void>) {
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomUUID()}.partial`;
    try {
      await write(tmp);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      // ENOSPC and friends name only the temporary file; the key is what an operator looks for.
      if (err instanceof Error) err.message = `writing ${key}: ${err.message}`;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    // An invalid key is an error, as on S3, not a missing object.
    const file = this.pathOf(key);
    try {
      const info = await stat(file);
      if (!info.isFile()) return undefined;
      return { size: info.size, version: String(info.mtimeMs), modified: info.mtime };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const dirPart = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const start = dirPart ? this.pathOf(dirPart) : this.root;
    const keys: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (missing(err)) return;
        throw err;
      }
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile() && !entry.name.endsWith('.partial')) {
          const key = path.relative(this.root, full).split(path.sep).join('/');
          if (key.startsWith(prefix)) keys.push(key);
        }
      }
    };
    await walk(start);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }
}

/** ENOTDIR: a key below an object, e.g. `a/b` when `a` is an object, is missing as on S3. */
function missing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
