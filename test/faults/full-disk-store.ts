import type { Readable } from 'node:stream';
import type { ObjectHead, ObjectStore } from '../../core/store/index.js';

/**
 * An object store whose disk can be made full: while `full`, every write fails the way Node's
 * fs does on a full disk (code ENOSPC, errno -28), and nothing is written. Reads go on working.
 */
export class FullDiskStore implements ObjectStore {
  full = false;
  failedWrites = 0;

  constructor(private readonly inner: ObjectStore) {}

  get location(): string {
    return this.inner.location;
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    this.failIfFull(key);
    await this.inner.put(key, body);
  }

  async putFile(key: string, file: string): Promise<void> {
    this.failIfFull(key);
    await this.inner.putFile(key, file);
  }

  private failIfFull(key: string): void {
    if (!this.full) return;
    this.failedWrites++;
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${key}'`), {
      code: 'ENOSPC',
      errno: -28,
      syscall: 'write',
    });
  }

  get(key: string): Promise<Buffer> {
    return this.inner.get(key);
  }
  openReadStream(key: string): Promise<Readable> {
    return this.inner.openReadStream(key);
  }
  getIfExists(key: string): Promise<Buffer | undefined> {
    return this.inner.getIfExists(key);
  }
  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
  head(key: string): Promise<ObjectHead | undefined> {
    return this.inner.head(key);
  }
  list(prefix: string): Promise<string[]> {
    return this.inner.list(prefix);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
  describe(key: string): string {
    return this.inner.describe(key);
  }
}
