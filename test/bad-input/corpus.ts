import type { FailureType } from '../../core/failures.js';

/**
 * Broken internal-format files, each with what the product must make of it: either the whole
 * file fails with a typed, non-retryable error naming the file (and the field), or the bad
 * records are quarantined in rejected.json with index, field and reason while the rest run on.
 */
export type Expectation =
  | { kind: 'fails'; type: FailureType; message: RegExp }
  | {
      kind: 'quarantined';
      accepted: number;
      rejected: { index: number; field: string; reason: RegExp }[];
    };

export interface BadInputCase {
  name: string;
  body: Buffer;
  expect: Expectation;
}

const good = (id: string | number, extra: Record<string, unknown> = {}) => ({
  id,
  time: 1_716_468_856.2,
  src: '10.0.0.1',
  dst: '10.0.0.5',
  name: 'ET SCAN Nmap scan',
  ...extra,
});

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const text = (value: string): Buffer => Buffer.from(value, 'utf8');
/** A file of one good alert, then `bad`, then another good alert. */
const between = (bad: unknown): Buffer => json({ input: [good('g1'), bad, good('g2')] });
const reject = (field: string, reason: RegExp) => ({
  kind: 'quarantined' as const,
  accepted: 2,
  rejected: [{ index: 1, field, reason }],
});
const fails = (message: RegExp) => ({
  kind: 'fails' as const,
  type: 'InvalidInputFile' as const,
  message,
});

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let n = 0; n < depth; n++) value = { deeper: value };
  return value;
}

export const badInputCorpus: BadInputCase[] = [
  { name: 'empty file', body: Buffer.alloc(0), expect: fails(/the file is empty/) },
  { name: 'only whitespace', body: text(' \n\t\n'), expect: fails(/the file is empty/) },
  {
    name: 'truncated JSON',
    body: json({ input: [good('a'), good('b')] }).subarray(0, 60),
    expect: fails(/not valid JSON/),
  },
  { name: 'top level is a string', body: json('alerts'), expect: fails(/expected \{"input"/) },
  { name: 'top level is null', body: text('null'), expect: fails(/expected \{"input"/) },
  { name: '"input" is an object', body: json({ input: { a: 1 } }), expect: fails(/"input"/) },
  { name: '"input" is missing', body: json({ alerts: [good('a')] }), expect: fails(/"input"/) },
  {
    name: 'NaN literal (not JSON)',
    body: text('{"input":[{"id":"a","time":NaN,"src":"s","dst":"d","name":"n"}]}'),
    expect: fails(/not valid JSON/),
  },
  {
    name: 'raw NUL byte inside a string',
    body: Buffer.concat([text('{"input":[{"id":"a'), Buffer.from([0]), text('","time":1}]}')]),
    expect: fails(/not valid JSON/),
  },
  {
    name: 'invalid UTF-8 bytes in a string',
    body: Buffer.concat([
      text('{"input":[{"id":"a","time":1,"src":"ho'),
      Buffer.from([0xff, 0xfe]),
      text('st","dst":"d","name":"n"}]}'),
    ]),
    expect: fails(/not valid JSON.*utf-8/i),
  },
  {
    name: 'UTF-16 file',
    body: Buffer.from('\ufeff{"input":[]}', 'utf16le'),
    expect: fails(/not valid JSON/),
  },
  {
    name: 'JSON lines given as an internal-format file, one line bad',
    body: text(
      `${JSON.stringify(good('a'))}\n{"id": "b", "time": \n${JSON.stringify(good('c'))}\n`,
    ),
    expect: fails(/not valid JSON/),
  },
  { name: 'record is a number', body: between(42), expect: reject('(record)', /object/) },
  { name: 'record is null', body: between(null), expect: reject('(record)', /object/) },
  {
    name: 'missing src',
    body: between({ ...good('x'), src: undefined }),
    expect: reject('src', /string/),
  },
  { name: 'missing id', body: between({ ...good('x'), id: undefined }), expect: reject('id', /./) },
  { name: 'empty id', body: between(good('')), expect: reject('id', /./) },
  {
    name: 'name is a number',
    body: between(good('x', { name: 7 })),
    expect: reject('name', /string/),
  },
  {
    name: 'time as a date string',
    body: between(good('x', { time: '2024-05-23T12:00:00Z' })),
    expect: reject('time', /number/),
  },
  { name: 'negative time', body: between(good('x', { time: -5 })), expect: reject('time', /0/) },
  {
    name: 'time overflowing to Infinity',
    body: text(
      JSON.stringify({ input: [good('g1'), good('x'), good('g2')] }).replace(
        '"id":"x","time":1716468856.2',
        '"id":"x","time":1e400',
      ),
    ),
    expect: reject('time', /finite|Infinity|number/),
  },
  {
    name: 'time in milliseconds (far future)',
    body: between(good('x', { time: 1_716_468_856_200 })),
    expect: reject('time', /after 2100.*milliseconds/),
  },
  {
    name: 'tech is a string, not a list',
    body: between(good('x', { tech: 'T1055' })),
    expect: reject('tech', /array/),
  },
  {
    name: 'tech holds a made-up id',
    body: between(good('x', { tech: ['T99'] })),
    expect: reject('tech.0', /ATT&CK id/),
  },
  {
    name: 'port out of range',
    body: between(good('x', { other_attributes_dict: { port: 70_000 } })),
    expect: reject('other_attributes_dict.port', /65535/),
  },
  {
    name: 'port is a huge number',
    body: between(good('x', { other_attributes_dict: { port: 1e308 } })),
    expect: reject('other_attributes_dict.port', /65535/),
  },
  {
    name: 'priority is not a number',
    body: between(good('x', { other_attributes_dict: { priority: 'high' } })),
    expect: reject('other_attributes_dict.priority', /number/),
  },
  {
    name: 'other_attributes_dict is a list',
    body: between(good('x', { other_attributes_dict: [1, 2] })),
    expect: reject('other_attributes_dict', /object/),
  },
  {
    name: 'numeric id beyond 2^53 (digits lost in parsing)',
    body: text(
      JSON.stringify({ input: [good('g1'), good('x'), good('g2')] }).replace(
        '"id":"x"',
        '"id":12345678901234567890',
      ),
    ),
    expect: reject('id', /2\^53|quote/),
  },
  {
    name: 'duplicate ids',
    body: json({ input: [good('g1'), good('g2'), good('g1')] }),
    expect: {
      kind: 'quarantined',
      accepted: 2,
      rejected: [{ index: 2, field: 'id', reason: /duplicate id/ }],
    },
  },
  {
    name: 'very long name',
    body: between(good('x', { name: 'A'.repeat(100_000) })),
    expect: reject('name', /longer than/),
  },
  {
    name: 'very long src',
    body: between(good('x', { src: 'h'.repeat(10_000) })),
    expect: reject('src', /longer than/),
  },
  {
    name: 'NUL character (escaped) in src',
    body: between(good('x', { src: 'host\u0000evil' })),
    expect: reject('src', /control character/),
  },
  {
    name: 'newline in id',
    body: between(good('x\nforged log line')),
    expect: reject('id', /control character/),
  },
  {
    name: 'attributes nested very deep',
    body: between(good('x', { other_attributes_dict: { blob: nested(2000) } })),
    expect: reject('other_attributes_dict.blob', /nested deeper/),
  },
  {
    name: 'node_feature is a list',
    body: json({ input: [good('g1'), good('g2')], node_feature: ['OS'] }),
    expect: {
      kind: 'quarantined',
      accepted: 2,
      rejected: [{ index: -1, field: 'node_feature', reason: /object of hosts/ }],
    },
  },
  {
    name: 'node_feature host is a string',
    body: json({ input: [good('g1'), good('g2')], node_feature: { '10.0.0.1': 'Windows' } }),
    expect: {
      kind: 'quarantined',
      accepted: 2,
      rejected: [{ index: -1, field: 'node_feature.10.0.0.1', reason: /feature names/ }],
    },
  },
];

/** Files that are odd but valid: they must run like the plain file. */
export const acceptedOddities: { name: string; body: Buffer; accepted: number }[] = [
  {
    name: 'UTF-8 byte order mark',
    body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json({ input: [good('a')] })]),
    accepted: 1,
  },
  { name: 'bare array of alerts', body: json([good('a'), good('b')]), accepted: 2 },
  {
    name: '__proto__ as an attribute name',
    body: text(
      '{"input":[{"id":"a","time":1,"src":"s","dst":"d","name":"n",' +
        '"other_attributes_dict":{"__proto__":{"polluted":true}}}]}',
    ),
    accepted: 1,
  },
  { name: 'no alerts at all', body: json({ input: [] }), accepted: 0 },
];

/** Object keys that must never reach a disk path or an S3 request. */
export const badKeys: { key: string; reason: RegExp }[] = [
  { key: '', reason: /empty/ },
  { key: '../etc/passwd', reason: /"\.\." segments/ },
  { key: 'input/../../secret.json', reason: /"\.\." segments/ },
  { key: '/etc/passwd', reason: /relative/ },
  { key: 'input/\u0000.json', reason: /control characters/ },
  { key: 'input/a\nb.json', reason: /control characters/ },
  { key: 'input\\..\\x.json', reason: /backslashes/ },
  { key: 'input//a.json', reason: /empty path segment/ },
  { key: './input/a.json', reason: /"\." segments/ },
  { key: `input/${'k'.repeat(1100)}`, reason: /longer than 1024/ },
];
