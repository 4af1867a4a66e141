import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ObjectStore } from '../core/store/index.js';

/** Records per write: large enough that joining is cheap, small enough to hold at once. */
const recordsPerPiece = 2000;

/**
 * A JSON list written to a temporary file as its records come and then handed to the store as a
 * file: the memory it needs is one piece, however long the list (a list built in memory and then
 * joined took twice the bytes of event.json at its peak). The bytes are those JSON.stringify
 * would write for the whole list.
 */
export class JsonListFile {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-list-'));
  private readonly file = path.join(this.dir, 'list.json');
  private fd: number | undefined = openSync(this.file, 'w');
  private texts: string[] = [];
  private count = 0;

  /** A bare list, or `{...head, [field]: list}` when a head is given. */
  constructor(private readonly head?: { fields: Record<string, unknown>; field: string }) {
    this.write(head ? documentOpening(head.fields, head.field) : '[');
  }

  /** Adds a record's text; undefined, as JSON.stringify writes it inside a list, is null. */
  add(text: string | undefined): void {
    this.texts.push(text ?? 'null');
    if (this.texts.length >= recordsPerPiece) this.flush();
  }

  /** Stores the list under `key` and removes the temporary file, whether or not that worked. */
  async put(store: ObjectStore, key: string): Promise<void> {
    try {
      this.flush();
      this.write(this.head ? ']}' : ']');
      this.close();
      await store.putFile(key, this.file);
    } finally {
      this.discard();
    }
  }

  /** Removes the temporary file of a list that will not be stored. */
  discard(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(): void {
    if (this.texts.length === 0) return;
    this.write(`${this.count > 0 ? ',' : ''}${this.texts.join(',')}`);
    this.count += this.texts.length;
    this.texts = [];
  }

  private write(text: string): void {
    if (this.fd === undefined) throw new Error(`${this.file}: written after it was stored`);
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length;) at += writeSync(this.fd, bytes, at);
  }

  private close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

function documentOpening(head: Record<string, unknown>, field: string): string {
  const opening = JSON.stringify(head);
  const separator = opening === '{}' ? '' : ',';
  return `${opening.slice(0, -1)}${separator}${JSON.stringify(field)}:[`;
}

/** Stores `{...head, [field]: items.map(toRecord)}`, spooled record by record to a file. */
export async function putJsonDocument<T>(
  store: ObjectStore,
  key: string,
  head: Record<string, unknown>,
  field: string,
  items: readonly T[],
  toRecord: (item: T) => unknown,
): Promise<void> {
  const list = new JsonListFile({ fields: head, field });
  try {
    for (const item of items) list.add(JSON.stringify(toRecord(item)));
  } catch (err) {
    list.discard();
    throw err;
  }
  await list.put(store, key);
}

/** Keeps at most `limit` writes in flight; `add` waits while the pool is full. */
export class WritePool {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown;

  constructor(private readonly limit: number) {}

  async add(write: () => Promise<void>): Promise<void> {
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    this.throwIfFailed();
    const running: Promise<void> = write()
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }

  /** Waits for every write; the first that failed fails the whole. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }
}
