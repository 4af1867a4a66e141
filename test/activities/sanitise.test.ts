import { describe, expect, it } from 'vitest';
import { encodeAttributes, sanitiseAlerts } from '../../activities/sanitise.js';

const good = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 'a-1',
  time: 1716468856.2,
  src: 'host-a',
  dst: '10.0.0.5',
  name: 'alert text',
  ...over,
});

function rejectOne(record: unknown): { field: string; reason: string; id?: string } {
  const { alerts, rejected } = sanitiseAlerts('input/x.json', [record]);
  expect(alerts).toEqual([]);
  expect(rejected).toHaveLength(1);
  expect(rejected[0]).toMatchObject({ file: 'input/x.json', index: 0, record });
  return rejected[0]!;
}

describe('sanitiseAlerts', () => {
  it('accepts a good alert, numbering it and filling defaults', () => {
    const { alerts, rejected } = sanitiseAlerts('f', [
      good({ tech: ['T1055', 'T1055'], other_attributes_dict: { port: 443 } }),
      good({ id: 7, name: 'second' }),
    ]);
    expect(rejected).toEqual([]);
    expect(alerts[0]).toEqual({
      i: 0,
      id: 'a-1',
      time: 1716468856.2,
      src: 'host-a',
      dst: '10.0.0.5',
      name: 'alert text',
      tech: ['T1055'],
      attrs: { port: 443 },
      features: ['port=443'],
    });
    expect(alerts[1]).toMatchObject({ i: 1, id: '7', tech: [], attrs: {}, features: [] });
  });

  const required = ['id', 'time', 'src', 'dst', 'name'];
  it.each(required)('rejects a record missing %s, naming it', (field) => {
    const record = good();
    delete record[field];
    expect(rejectOne(record).field).toBe(field);
  });

  it('rejects wrong types, naming the field', () => {
    expect(rejectOne(good({ time: '2024-05-23' })).field).toBe('time');
    expect(rejectOne(good({ time: -1 })).field).toBe('time');
    expect(rejectOne(good({ src: 42 })).field).toBe('src');
    expect(rejectOne(good({ id: '' })).field).toBe('id');
    expect(rejectOne(good({ id: { nested: 1 } })).field).toBe('id');
    expect(rejectOne(good({ tech: 'T1055' })).field).toBe('tech');
    expect(rejectOne(good({ other_attributes_dict: { priority: 'high' } })).field).toBe(
      'other_attributes_dict.priority',
    );
    expect(rejectOne(null).field).toBe('(record)');
    expect(rejectOne('just text').field).toBe('(record)');
  });

  it('keeps the id of a rejected record when it has one', () => {
    expect(rejectOne(good({ id: 99, src: undefined })).id).toBe('99');
  });

  it('rejects technique ids that are not ATT&CK ids', () => {
    for (const bad of ['t1055', 'T105', 'T1055.1', 'TA0001', 'T1055.0012']) {
      const rejected = rejectOne(good({ tech: ['T1003', bad] }));
      expect(rejected.field).toBe('tech.1');
      expect(rejected.reason).toMatch(/ATT&CK id/);
    }
    const sub = sanitiseAlerts('f', [good({ tech: ['T1055.012'] })]);
    expect(sub.alerts[0]?.tech).toEqual(['T1055.012']);
  });

  it('rejects ports outside 0-65535 and non-integer ports', () => {
    for (const port of [-1, 65536, 80.5]) {
      const rejected = rejectOne(good({ other_attributes_dict: { port } }));
      expect(rejected.field).toBe('other_attributes_dict.port');
    }
    for (const port of [0, 65535]) {
      expect(sanitiseAlerts('f', [good({ other_attributes_dict: { port } })]).rejected).toEqual([]);
    }
  });

  it('rejects duplicate ids after the first, numbering only accepted alerts', () => {
    const { alerts, rejected } = sanitiseAlerts(
      'f',
      [good({ id: 'x' }), good({ id: 'y' }), good({ id: 'x', name: 'again' }), good({ id: 'z' })],
      10,
    );
    expect(alerts.map((a) => [a.i, a.id, a.name])).toEqual([
      [0, 'x', 'alert text'],
      [1, 'y', 'alert text'],
      [2, 'z', 'alert text'],
    ]);
    expect(rejected).toEqual([
      expect.objectContaining({ index: 12, id: 'x', field: 'id', reason: 'duplicate id' }),
    ]);
  });

  it('treats a numeric id and the same id as text as duplicates', () => {
    const { alerts, rejected } = sanitiseAlerts('f', [good({ id: 5 }), good({ id: '5' })]);
    expect(alerts).toHaveLength(1);
    expect(rejected[0]?.reason).toBe('duplicate id');
  });
});

describe('encodeAttributes', () => {
  it('turns attributes into sorted tokens', () => {
    expect(
      encodeAttributes({
        priority: 3,
        port: 443,
        bytes: 18233,
        small: 0,
        negative: -5,
        blocked: true,
        user_agent: 'curl/8.0',
        url: 'https://evil.example.com/path?q=1',
        empty: '',
        nothing: null,
        nested: { a: 1 },
        long: 'x'.repeat(81),
        label: 'y'.repeat(80),
      }),
    ).toEqual([
      'blocked=true',
      'bytes~15',
      `label=${'y'.repeat(80)}`,
      'negative~-3',
      'port=443',
      'priority=3',
      'small~0',
      'url_host=evil.example.com',
      'user_agent=curl/8.0',
    ]);
  });

  it('buckets unknown numbers by magnitude so near values match', () => {
    expect(encodeAttributes({ bytes: 18233 })).toEqual(encodeAttributes({ bytes: 20000 }));
    expect(encodeAttributes({ bytes: 100 })).not.toEqual(encodeAttributes({ bytes: 20000 }));
  });

  it('reads hosts from URLs without a scheme and skips unparsable ones', () => {
    expect(encodeAttributes({ url: 'intranet.local/login' })).toEqual(['url_host=intranet.local']);
    expect(encodeAttributes({ url: 'http://[bad' })).toEqual([]);
  });
});
