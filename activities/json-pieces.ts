import type { ObjectStore } from '../core/store/index.js';

/** Records per piece: large enough that joining is cheap, small enough to stay far from limits. */
const recordsPerPiece = 2000;

/**
 * A JSON list built from its records' texts as they come: a run of a million alerts never needs
 * one string of hundreds of megabytes (V8 caps a string near 512 MiB), and the bytes are those
 * JSON.stringify would write for the whole list.
 */
export class JsonListPieces {
  private readonly pieces: Buffer[] = [];
  private texts: string[] = [];
  private count = 0;

  /** Adds a record's text; undefined, as JSON.stringify writes it inside a list, is null. */
  add(text: string | undefined): void {
    this.texts.push(text ?? 'null');
    if (this.texts.length >= recordsPerPiece) this.close();
  }

  /** The bytes of the list alone. */
  list(): Buffer {
    return this.wrap('[', ']');
  }

  /** The bytes of `{...head, [field]: list}`. */
  document(head: Record<string, unknown>, field: string): Buffer {
    const opening = JSON.stringify(head);
    const separator = opening === '{}' ? '' : ',';
    return this.wrap(`${opening.slice(0, -1)}${separator}${JSON.stringify(field)}:[`, ']}');
  }

  private close(): void {
    if (this.texts.length === 0) return;
    this.pieces.push(Buffer.from(`${this.count > 0 ? ',' : ''}${this.texts.join(',')}`));
    this.count += this.texts.length;
    this.texts = [];
  }

  /** Hands the bytes over once: the pieces are let go, so a builder is used for one file. */
  private wrap(opening: string, closing: string): Buffer {
    this.close();
    const bytes = Buffer.concat([Buffer.from(opening), ...this.pieces, Buffer.from(closing)]);
    this.pieces.length = 0;
    return bytes;
  }
}

function piecesOf<T>(items: readonly T[], toRecord: (item: T) => unknown): JsonListPieces {
  const pieces = new JsonListPieces();
  for (const item of items) pieces.add(JSON.stringify(toRecord(item)));
  return pieces;
}

/** The bytes `JSON.stringify(items.map(toRecord))` would give, written record by record. */
export function jsonListBytes<T>(items: readonly T[], toRecord: (item: T) => unknown): Buffer {
  return piecesOf(items, toRecord).list();
}

/** The bytes of `JSON.stringify({...head, [field]: items.map(toRecord)})`, record by record. */
export function jsonDocumentBytes<T>(
  head: Record<string, unknown>,
  field: string,
  items: readonly T[],
  toRecord: (item: T) => unknown,
): Buffer {
  return piecesOf(items, toRecord).document(head, field);
}

export async function putJsonList<T>(
  store: ObjectStore,
  key: string,
  items: readonly T[],
  toRecord: (item: T) => unknown = (item) => item,
): Promise<void> {
  await store.put(key, jsonListBytes(items, toRecord));
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
