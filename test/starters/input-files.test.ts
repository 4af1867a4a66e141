import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { looksInternal } from '../../starters/input-files.js';

const internalRecord = { id: 'a1', time: 1716468856.2, src: 'h1', dst: '10.0.0.5', name: 'x' };
const doc = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

describe('guessing whether a file is in the internal format', () => {
  it.each([
    ['an internal document', doc({ input: [internalRecord], node_feature: {} })],
    ['a bare array of internal records', doc([internalRecord])],
    ['a document with a byte order mark', Buffer.from(`\uFEFF${JSON.stringify({ input: [] })}`)],
    ['records with a time of the wrong type', doc({ input: [{ ...internalRecord, time: 'x' }] })],
    ['records missing required fields', doc({ input: [{ id: '1', src: 'a', name: 'n' }] })],
    ['"input" that is not an array', doc({ input: { id: 1 } })],
    ['an empty file', Buffer.alloc(0)],
    ['a truncated document', Buffer.from('{"input": [{"id": "a", "time": 1')],
  ])('%s is internal, so its problems are reported record by record', (_, body) => {
    expect(looksInternal(body)).toBe(true);
  });

  const splunkEvent = { _cd: '318:6', _time: '1568916650', src: 'h1', dst: '', name: 'n' };
  const suricata = { timestamp: '2017-11-11T10:00:00Z', event_type: 'alert', src_ip: '1.2.3.4' };
  it.each([
    ['a Splunk export in an "input" document', doc({ input: [splunkEvent] })],
    ['an Elastic alert array', doc([{ '@timestamp': '2024-01-01T00:00:00Z', 'kibana.alert': 1 }])],
    ['one exported event', doc(suricata)],
    ['gzip', gzipSync(doc({ input: [internalRecord] }))],
    [
      'JSON lines with a broken line among them',
      Buffer.from(`${JSON.stringify(suricata)}\n${JSON.stringify(suricata)}\nnot json\n`),
    ],
  ])('%s is an export', (_, body) => {
    expect(looksInternal(body)).toBe(false);
  });

  it('reads only the start of a large file', () => {
    const records = Array.from({ length: 50_000 }, (_, i) => ({ ...internalRecord, id: `a${i}` }));
    const body = Buffer.from(`${JSON.stringify({ input: records }).slice(0, -2)}`);
    // Truncated past the sniffed prefix: still recognised from its first records.
    expect(looksInternal(body)).toBe(true);
  });
});
