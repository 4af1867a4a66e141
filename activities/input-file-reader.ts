import { JSONParser } from '@streamparser/json';
import type { RejectedRecord } from '../core/formats.js';
import { badInput, failureTypes } from '../core/failures.js';
import { sanitiseNodeFeatures } from './node-features.js';

/** What is left once every record has been handed on: the hosts and their rejections. */
export interface InputFileEnd {
  nodeFeature: Record<string, Record<string, unknown>>;
  rejected: RejectedRecord[];
}

export interface InputFileReader {
  /** Feeds the next bytes; records found in them are handed to `onRecord` before it returns. */
  write(bytes: Uint8Array): void;
  end(): InputFileEnd;
}

const byteOrderMark = [0xef, 0xbb, 0xbf];
const isBlank = (byte: number): boolean =>
  byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/**
 * Reads an internal-format file (`{"input": [...], "node_feature": {...}}` or a bare array of
 * records) piece by piece: each record is handed on as soon as it is complete and dropped by the
 * parser, so neither the whole text nor the whole object graph is ever held. Whole-file problems
 * end the run with a non-retryable failure naming the file and, where known, the record.
 */
export function createInputFileReader(
  key: string,
  maxBytes: number,
  onRecord: (record: unknown) => void,
): InputFileReader {
  let bytesSeen = 0;
  let started = false;
  let records = 0;
  let parser: JSONParser | undefined;
  let root: 'object' | 'array' | 'other' = 'other';
  let input: unknown = undefined;
  let rawNodeFeature: unknown = undefined;
  let otherRoot: unknown = undefined;

  const invalidJson = (reason: string): Error =>
    badInput(
      failureTypes.invalidInputFile,
      `${key}: not valid JSON (${reason}; ${records} records of "input" read before it)`,
      { key, record: records },
    );
  const notInternalFormat = (field: string, message: string): Error =>
    badInput(
      failureTypes.invalidInputFile,
      `${key}: field "${field}": ${message}; expected {"input": [...]}`,
      { key, field: field === '(root)' ? '' : field },
    );

  const start = (firstByte: number): JSONParser => {
    root = firstByte === 0x7b ? 'object' : firstByte === 0x5b ? 'array' : 'other';
    const paths =
      root === 'object'
        ? ['$.input.*', '$.input', '$.node_feature']
        : root === 'array'
          ? ['$.*']
          : ['$'];
    const created = new JSONParser({ paths, keepStack: false });
    created.onValue = ({ value, key: field, parent, stack }) => {
      if (root === 'other') {
        otherRoot = value;
      } else if (root === 'array' || stack.length === 2) {
        if (root === 'object' && !Array.isArray(parent)) {
          throw notInternalFormat('input', 'expected an array of records, received an object');
        }
        // The parser keeps the array it fills; emptying each slot keeps memory flat.
        delete (parent as unknown[])[field as number];
        records++;
        onRecord(value);
      } else if (field === 'input') {
        input = value;
      } else {
        rawNodeFeature = value;
      }
    };
    return created;
  };

  const feed = (bytes: Uint8Array): void => {
    try {
      parser!.write(bytes);
    } catch (err) {
      if ((err as { type?: string }).type === failureTypes.invalidInputFile) throw err;
      throw invalidJson((err as Error).message);
    }
  };

  // The byte order mark may arrive split over writes; nothing is parsed until it is settled.
  let leading: Buffer | undefined = Buffer.alloc(0);
  const begin = (view: Buffer): void => {
    let from = 0;
    while (from < view.length && isBlank(view[from]!)) from++;
    if (from === view.length) return;
    started = true;
    parser = start(view[from]!);
    feed(view.subarray(from));
  };
  const settleByteOrderMark = (): Buffer => {
    const view = leading!;
    leading = undefined;
    return byteOrderMark.every((b, n) => view[n] === b) ? view.subarray(3) : view;
  };

  return {
    write(bytes: Uint8Array): void {
      bytesSeen += bytes.length;
      if (bytesSeen > maxBytes) {
        throw badInput(
          failureTypes.inputTooLarge,
          `${key}: ${bytesSeen} bytes is over MAX_INPUT_BYTES (${maxBytes})`,
          { key, bytes: bytesSeen },
        );
      }
      if (started) return feed(bytes);
      const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      if (!leading) return begin(view);
      leading = Buffer.concat([leading, view]);
      const partialMark = byteOrderMark.slice(0, leading.length).every((b, n) => leading![n] === b);
      if (leading.length < byteOrderMark.length && partialMark) return;
      begin(settleByteOrderMark());
    },

    end(): InputFileEnd {
      if (leading) begin(settleByteOrderMark());
      if (!started) {
        throw badInput(failureTypes.invalidInputFile, `${key}: the file is empty`, { key });
      }
      // A complete document ends the parser by itself; a bare number needs the end to finish.
      if (!parser!.isEnded) {
        try {
          parser!.end();
        } catch (err) {
          throw invalidJson(`the file ends too early: ${(err as Error).message}`);
        }
      }
      if (root === 'array') return { nodeFeature: {}, rejected: [] };
      if (root === 'other') {
        const kind = otherRoot === null ? 'null' : typeof otherRoot;
        throw notInternalFormat('(root)', `expected an object, received ${kind}`);
      }
      if (!Array.isArray(input)) {
        const kind = input === undefined ? 'nothing' : input === null ? 'null' : typeof input;
        throw notInternalFormat('input', `expected an array of records, received ${kind}`);
      }
      return sanitiseNodeFeatures(key, rawNodeFeature);
    },
  };
}

/** The whole of a file already in memory, through the same reader. */
export function readWholeInputFile(
  key: string,
  body: Uint8Array,
  maxBytes: number,
): InputFileEnd & { records: unknown[] } {
  const records: unknown[] = [];
  const reader = createInputFileReader(key, maxBytes, (record) => records.push(record));
  reader.write(body);
  return { records, ...reader.end() };
}
