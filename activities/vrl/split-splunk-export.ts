import type { Readable } from 'node:stream';
import type { ObjectStore } from '../../core/store/index.js';
import { JsonRecordScanner, type ScannedRecord } from './json-record-scanner.js';
import { splunkInputKeys, splunkInputName } from './keys.js';
import { decompressedBytes, openObjectStream } from './read-stream.js';

export interface SplitOptions {
  inputKey: string;
  chunkSize: number;
  /** Larger records are quarantined whole (default 8 MiB). */
  maxRecordBytes?: number;
  /** Called after each chunk is written, e.g. to heartbeat. */
  onProgress?: (progress: { records: number; chunks: number }) => void;
}

export interface SplitResult {
  inputName: string;
  chunkKeys: string[];
  /** Records written to chunks. */
  records: number;
  quarantined: number;
  quarantineKey?: string;
}

/** One record the splitter could not turn into an object, kept with everything known about it. */
export interface SplitFailure {
  record_index: number;
  line: number;
  byte_offset: number;
  reason: string;
  /** The record's text when it is valid UTF-8 and small enough to embed. */
  text?: string;
  /** Where the record's bytes were written verbatim otherwise. */
  bytes_key?: string;
}

/** The shape of a chunk object under `splunk_input/scratch/<name>/chunks/`. */
export interface SplunkChunk {
  input_key: string;
  input_name: string;
  chunk_index: number;
  /** Each record's position in the export, for quarantine records that point back to it. */
  indexes: number[];
  records: Record<string, unknown>[];
}

export class SplunkExportError extends Error {
  readonly type = 'SplunkExportError';
  constructor(
    readonly file: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message.startsWith(file) ? message : `${file}: ${message}`, options);
    this.name = 'SplunkExportError';
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

type Decoded = { record: Record<string, unknown> } | { reason: string; text?: string };

/** Splunk's export and REST output wrap each event as {"preview", "offset", "result": {...}}. */
function unwrapSplunkResult(value: Record<string, unknown>): Record<string, unknown> {
  if (isObject(value.result) && ('preview' in value || 'offset' in value || 'lastrow' in value)) {
    return value.result;
  }
  return value;
}

function decode(rec: ScannedRecord): Decoded {
  if (rec.oversized) return { reason: rec.problem ?? 'record is over the size limit' };
  let text: string;
  try {
    text = utf8.decode(rec.bytes);
  } catch {
    return { reason: 'contains bytes that are not UTF-8 (Splunk exports are UTF-8)' };
  }
  if (rec.problem) return { reason: rec.problem, text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { reason: `not valid JSON: ${(err as Error).message}`, text };
  }
  if (!isObject(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    return { reason: `${kind}, not an event object`, text };
  }
  if (!isObject(value.result) && Array.isArray(value.messages) && 'preview' in value) {
    return { reason: 'a Splunk search message, not an event', text };
  }
  return { record: unwrapSplunkResult(value) };
}

export type ExportItem =
  | { index: number; record: Record<string, unknown> }
  | { index: number; failure: SplitFailure; bytes: Buffer };

function* toItems(scanned: ScannedRecord[]): Generator<ExportItem> {
  for (const rec of scanned) {
    const decoded = decode(rec);
    if ('record' in decoded) {
      yield { index: rec.index, record: decoded.record };
      continue;
    }
    const failure: SplitFailure = {
      record_index: rec.index,
      line: rec.line,
      byte_offset: rec.byteOffset,
      reason: decoded.reason,
    };
    if (decoded.text !== undefined && rec.bytes.length <= 64 * 1024) failure.text = decoded.text;
    yield { index: rec.index, failure, bytes: rec.bytes };
  }
}

/** Reads an export's records one by one from a byte stream (plain or gzip). */
export async function* readExportRecords(
  input: Readable,
  file: string,
  maxRecordBytes = 8 * 1024 * 1024,
): AsyncGenerator<ExportItem> {
  const scanner = new JsonRecordScanner(maxRecordBytes, Math.max(maxRecordBytes * 32, 256 << 20));
  try {
    for await (const piece of decompressedBytes(input, file)) yield* toItems(scanner.push(piece));
    yield* toItems(scanner.end(file));
  } catch (err) {
    input.destroy();
    if (err instanceof SplunkExportError) throw err;
    throw new SplunkExportError(file, (err as Error).message, { cause: err });
  }
}

/**
 * Splits a Splunk export (JSON array, {"input": [...]}, JSON lines or search-export results;
 * plain or gzip) into chunk objects, streaming: at most one chunk and one record are in memory.
 * Records that are not JSON objects are quarantined with their line, offset and reason.
 */
export async function splitSplunkExport(
  store: ObjectStore,
  options: SplitOptions,
  source?: Readable,
): Promise<SplitResult> {
  const { inputKey, chunkSize } = options;
  const inputName = splunkInputName(inputKey);
  const keys = splunkInputKeys(inputName);
  const chunkKeys: string[] = [];
  const failures: SplitFailure[] = [];
  let chunk: SplunkChunk | undefined;
  let records = 0;

  const flush = async (): Promise<void> => {
    if (!chunk || chunk.records.length === 0) return;
    const key = keys.chunk(chunk.chunk_index);
    await store.put(key, JSON.stringify(chunk));
    chunkKeys.push(key);
    chunk = undefined;
    options.onProgress?.({ records, chunks: chunkKeys.length });
  };

  const input = source ?? (await openObjectStream(store, inputKey));
  for await (const item of readExportRecords(input, inputKey, options.maxRecordBytes)) {
    if ('failure' in item) {
      if (item.failure.text === undefined) {
        item.failure.bytes_key = keys.failedRecordBytes(item.index);
        await store.put(item.failure.bytes_key, item.bytes);
      }
      failures.push(item.failure);
      continue;
    }
    chunk ??= {
      input_key: inputKey,
      input_name: inputName,
      chunk_index: chunkKeys.length,
      indexes: [],
      records: [],
    };
    chunk.indexes.push(item.index);
    chunk.records.push(item.record);
    records++;
    if (chunk.records.length >= chunkSize) await flush();
  }
  await flush();

  const result: SplitResult = { inputName, chunkKeys, records, quarantined: failures.length };
  if (failures.length > 0) {
    result.quarantineKey = keys.failedSplit;
    await store.put(keys.failedSplit, JSON.stringify({ input: inputKey, failures }, null, 1));
  }
  return result;
}
