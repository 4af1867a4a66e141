import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createInputFileReader, readWholeInputFile } from '../../activities/input-file-reader.js';
import { failureTypes } from '../../core/failures.js';

const key = 'input/day1.json';
const alert = (n: number) => ({ id: `a${n}`, time: n, src: 's', dst: 'd', name: 'n\u00e9 \u2713' });

/** Feeds the text a few bytes at a time, as a stream would, and collects what comes out. */
function readInPieces(text: string | Buffer, pieceBytes: number) {
  const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const records: unknown[] = [];
  const seenWhenFed: number[] = [];
  const reader = createInputFileReader(key, 1 << 30, (r) => records.push(r));
  for (let at = 0; at < body.length; at += pieceBytes) {
    reader.write(body.subarray(at, at + pieceBytes));
    seenWhenFed.push(records.length);
  }
  return { records, seenWhenFed, ...reader.end() };
}

function failure(run: () => unknown): ApplicationFailure {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ApplicationFailure);
    return err as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

describe('createInputFileReader', () => {
  const doc = {
    note: 'ignored',
    input: [1, 2, 3, 4, 5].map(alert),
    node_feature: { s: { OS: 'L' } },
  };
  const text = JSON.stringify(doc, null, 1);

  it('hands records on as they complete, whatever the piece size', () => {
    for (const pieceBytes of [1, 2, 7, 64, text.length]) {
      const read = readInPieces(text, pieceBytes);
      expect(read.records).toEqual(doc.input);
      expect(read.nodeFeature).toEqual(doc.node_feature);
      expect(read.rejected).toEqual([]);
    }
    // Records arrive while the file is still being fed, not all at the end.
    const small = readInPieces(text, 16).seenWhenFed;
    expect(small.some((n) => n > 0 && n < doc.input.length)).toBe(true);
  });

  it('reads a bare array and a byte order mark split over pieces', () => {
    const bare = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(` [${JSON.stringify(alert(1))}]`),
    ]);
    expect(readInPieces(bare, 1).records).toEqual([alert(1)]);
    expect(readInPieces(bare, 2).records).toEqual([alert(1)]);
  });

  it('names the records read before a truncated end or a bad byte', () => {
    const truncated = failure(() => readInPieces(text.slice(0, text.indexOf('a3') + 10), 5));
    expect(truncated.type).toBe(failureTypes.invalidInputFile);
    expect(truncated.message).toMatch(
      /^input\/day1\.json: not valid JSON \(the file ends too early/,
    );
    expect(truncated.message).toContain('2 records of "input" read before it');
    const badByte = failure(() =>
      readWholeInputFile(key, Buffer.from('{"input":[{"id":1},x]}'), 99),
    );
    expect(badByte.message).toMatch(/not valid JSON .*1 records of "input"/);
    expect(badByte.details?.[0]).toEqual({ key, record: 1 });
  });

  it('refuses trailing text after the document', () => {
    expect(failure(() => readInPieces('{"input":[]} {"input":[]}', 3)).message).toMatch(
      /not valid JSON/,
    );
  });

  it('stops at "input" that is an object before reading any of it as records', () => {
    const seen: unknown[] = [];
    const reader = createInputFileReader(key, 1 << 20, (r) => seen.push(r));
    const err = failure(() => reader.write(Buffer.from('{"input":{"id":"a1","time":1}}')));
    expect(err.message).toContain('field "input"');
    expect(seen).toEqual([]);
  });

  it('counts bytes across pieces against the limit', () => {
    const reader = createInputFileReader(key, 10, () => undefined);
    reader.write(Buffer.from('{"input":'));
    const err = failure(() => reader.write(Buffer.from('[]}')));
    expect(err.type).toBe(failureTypes.inputTooLarge);
    expect(err.details?.[0]).toEqual({ key, bytes: 12 });
  });
});
