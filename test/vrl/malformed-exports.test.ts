import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  splitSplunkExport,
  SplunkExportError,
  type SplunkChunk,
} from '../../activities/vrl/index.js';
import { tempStore } from './helpers.js';

const { store, cleanup } = tempStore();
interface SplitExtras {
  maxRecordBytes?: number;
}
afterAll(cleanup);

const event = (i: number) => ({
  _time: String(1700000000 + i),
  src: `10.0.0.${i}`,
  dest: 'x',
  signature: 's',
});

async function split(name: string, body: Buffer | string, options: SplitExtras = {}) {
  const inputKey = `splunk_input/input/${name}`;
  await store.put(inputKey, body);
  return splitSplunkExport(store, { inputKey, chunkSize: 2, ...options });
}
async function failures(key: string | undefined) {
  if (!key) return [];
  const body = JSON.parse((await store.get(key)).toString('utf8')) as {
    failures: Record<string, unknown>[];
  };
  return body.failures;
}
async function chunkRecords(keys: string[]) {
  const out: unknown[] = [];
  for (const k of keys) {
    out.push(...(JSON.parse((await store.get(k)).toString()) as SplunkChunk).records);
  }
  return out;
}

describe('reading Splunk exports', () => {
  const events = [event(1), event(2), event(3)];

  it('reads a JSON array, a wrapper, JSON lines and search-export results alike', async () => {
    const lines = events.map((e) => JSON.stringify(e)).join('\n');
    const wrapped = events.map((e, i) => JSON.stringify({ preview: false, offset: i, result: e }));
    const results = `\ufeff[${wrapped.join(',\n')}]`;
    const fields = [{ name: 'src' }];
    const rest = JSON.stringify({ preview: false, init_offset: 0, fields, results: events });
    for (const [name, body] of [
      ['array.json', JSON.stringify(events, null, 2)],
      ['wrapper.json', JSON.stringify({ input: events })],
      ['lines.jsonl', `${lines}\n`],
      ['results.json.gz', gzipSync(results)],
      ['rest.json', rest],
    ] as const) {
      const r = await split(name, body);
      expect(r.records, name).toBe(3);
      expect(r.chunkKeys, name).toHaveLength(2);
      expect(await chunkRecords(r.chunkKeys), name).toEqual(events);
    }
  });

  it('streams from a Readable without the store reading the object', async () => {
    const body = Buffer.from(JSON.stringify(events));
    const pieces = [...body].map((b) => Buffer.from([b])); // one byte at a time
    const options = { inputKey: 'splunk_input/input/s.json', chunkSize: 10 };
    const r = await splitSplunkExport(store, options, Readable.from(pieces));
    expect(await chunkRecords(r.chunkKeys)).toEqual(events);
  });
});

describe('malformed Splunk exports', () => {
  it('names file, record and offset for truncated JSON', async () => {
    const body = JSON.stringify([event(1), event(2)]).slice(0, -30);
    const err = await split('cut.json', body).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SplunkExportError);
    expect((err as Error).message).toMatch(
      /^splunk_input\/input\/cut.json: truncated JSON: .*record 1 \(line 1, byte \d+\)/,
    );
  });

  it('names the file for a cut-short gzip stream', async () => {
    const gz = gzipSync(JSON.stringify([event(1), event(2)]));
    const err = await split('cut.json.gz', gz.subarray(0, gz.length - 10)).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/cut.json.gz: /);
  });

  it('quarantines a line that is not JSON and keeps the others', async () => {
    const [one, two] = [JSON.stringify(event(1)), JSON.stringify(event(2))];
    const body = `${one}\nthis is not json\n{"broken": \n${two}\n`;
    const r = await split('lines.jsonl', body);
    expect(r.records).toBe(2);
    const bad = await failures(r.quarantineKey);
    expect(bad.map((f) => [f.record_index, f.line, f.text])).toEqual([
      [1, 2, 'this is not json'],
      [2, 3, '{"broken": '],
    ]);
    expect(bad[0]?.reason).toMatch(/not valid JSON/);
  });

  it('quarantines a record over the size limit with its bytes kept verbatim', async () => {
    const huge = { ...event(9), payload: 'A'.repeat(50 * 1024 * 1024) };
    const body = `[${[event(1), huge, event(2)].map((e) => JSON.stringify(e)).join(',')}]`;
    const r = await split('huge.json', body, { maxRecordBytes: 8 * 1024 * 1024 });
    expect(r.records).toBe(2);
    const [bad] = await failures(r.quarantineKey);
    const reason = expect.stringMatching(/over the 8388608-byte limit/);
    expect(bad).toMatchObject({ record_index: 1, reason });
    expect((await store.get(bad?.bytes_key as string)).length).toBe(JSON.stringify(huge).length);
  });

  it('quarantines a record with bytes that are not UTF-8', async () => {
    const latin1 = Buffer.from([0xe9]); // é in ISO-8859-1
    const bad = Buffer.concat([Buffer.from('{"signature":"caf'), latin1, Buffer.from('"}')]);
    const head = Buffer.from(`[${JSON.stringify(event(1))},`);
    const body = Buffer.concat([head, bad, Buffer.from(']')]);
    const r = await split('latin1.json', body);
    expect(r.records).toBe(1);
    const [f] = await failures(r.quarantineKey);
    expect(f).toMatchObject({ record_index: 1, reason: expect.stringMatching(/not UTF-8/) });
    expect(await store.get(f?.bytes_key as string)).toEqual(bad);
  });

  it('quarantines array elements that are not objects', async () => {
    const r = await split('mixed.json', `[${JSON.stringify(event(1))}, 42, "text", {"a": tru}]`);
    expect(r.records).toBe(1);
    expect((await failures(r.quarantineKey)).map((f) => f.reason)).toEqual([
      'number, not an event object',
      'string, not an event object',
      expect.stringMatching(/not valid JSON/),
    ]);
  });
});
