import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  compileVrlProgram,
  loadVrlPrograms,
  mapRecords,
  parseVrlMappings,
  runVrl,
  selectProgram,
  VrlCompileError,
} from '../../activities/vrl/index.js';

const programs = loadVrlPrograms();
const chainOf = (record: unknown, key = 'splunk_input/input/x.json'): string[] | string => {
  const s = selectProgram(programs, record, key);
  return 'chain' in s ? s.chain.map((p) => p.name) : s.reason;
};

describe('compiling VRL programs', () => {
  it('reports VRL diagnostics with file, line and column', () => {
    const source = '# mode: record\n.a = 1\n.b = parse_int(.c)\n';
    let error: unknown;
    try {
      compileVrlProgram('vrl/broken.vrl', source);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(VrlCompileError);
    const message = (error as Error).message;
    expect(message).toContain('vrl/broken.vrl:3:6: error[E103]: unhandled fallible assignment');
    expect(message).toContain('.b = parse_int(.c)');
  });

  it('rejects an unknown mode in the header', () => {
    expect(() => compileVrlProgram('x.vrl', '# mode: batch\n.a = 1')).toThrow(/x.vrl:1: mode/);
  });
});

describe('running VRL', () => {
  const aborting = compileVrlProgram(
    'abort.vrl',
    '# mode: chunk\n. = map_values(array!(.)) -> |r| { if r.bad == true { abort } else { r } }',
  );

  it('maps a clean chunk in one execution', () => {
    const stats = { executions: 0 };
    const out = runVrl(
      aborting,
      Array.from({ length: 64 }, (_, i) => ({ i })),
      { stats },
    );
    expect(out.every((o) => o.ok)).toBe(true);
    expect(stats.executions).toBe(1);
  });

  it('isolates the records a chunk program aborts on by bisection, not record by record', () => {
    const records = Array.from({ length: 64 }, (_, i) => ({ i, bad: i === 5 || i === 40 }));
    const stats = { executions: 0 };
    const out = runVrl(aborting, records, { stats });
    expect(out.filter((o) => !o.ok).length).toBe(2);
    expect(out[5]).toMatchObject({ ok: false });
    expect(out[40]).toMatchObject({ ok: false });
    expect(stats.executions).toBeLessThan(30);
  });

  it('runs record-mode programs one record at a time and quarantines an abort', () => {
    const program = compileVrlProgram('r.vrl', 'if .x == null { abort "x is missing" }\n.y = 1');
    const out = runVrl(program, [{ x: 1 }, {}]);
    expect(out[0]).toEqual({ ok: true, value: { x: 1, y: 1 } });
    expect(out[1]).toEqual({ ok: false, reason: 'x is missing' });
  });
});

describe('choosing a program', () => {
  it('chooses by record shape', () => {
    expect(chainOf({ 'kibana.alert.rule.name': 'r' })).toEqual(['elastic-alert-to-internal']);
    expect(chainOf({ _source: { kibana: { alert: {} } } })).toEqual(['elastic-alert-to-internal']);
    expect(chainOf({ event_type: 'alert' })).toEqual(['suricata-eve-to-internal']);
    expect(chainOf({ sourcetype: 'suricata:alert', _raw: '{}' })).toEqual([
      'suricata-eve-to-internal',
    ]);
    expect(chainOf({ sourcetype: 'suricata:alert', 'alert.signature': 's', src_ip: 'a' })).toEqual([
      'splunk-suricata-to-internal',
    ]);
    expect(chainOf({ _cd: '1:2', sourceAddress: '' })).toEqual(['cef-to-internal']);
    expect(chainOf({ _raw: '<13>host CEF:0|a|b|1|2|n|3|' })).toEqual(['cef-to-internal']);
    expect(chainOf({ src: 'a', dest: 'b', signature: 's' })).toEqual([
      'splunk-cim-to-cef',
      'cef-to-internal',
    ]);
    expect(chainOf({ nothing: 'here' })).toMatch(/no program matches/);
  });

  it('lets a user mapping win by sourcetype or key prefix', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vrl-map-'));
    const file = path.join(dir, 'my-firewall.vrl');
    writeFileSync(file, '# output: cef\n. = {"name": .msg, "src": .a, "dst": .b, "rt": .t}\n');
    const mappings = parseVrlMappings(JSON.stringify([{ program: file, sourcetype: 'fw' }]));
    const set = loadVrlPrograms({ mappings });
    const s = selectProgram(set, { sourcetype: 'fw', src: 'x' }, 'splunk_input/input/a.json');
    expect('chain' in s && s.chain.map((p) => p.name)).toEqual(['my-firewall', 'cef-to-internal']);
    const record = { sourcetype: 'fw', msg: 'deny', a: '1.1.1.1', b: '2.2.2.2', t: 1700000000000 };
    const context = { inputKey: 'splunk_input/input/a.json', inputName: 'a' };
    const mapped = mapRecords(set, [record], context);
    const expected = { id: 'a:0', name: 'deny', src: '1.1.1.1', time: 1700000000 };
    expect(mapped.alerts[0]).toMatchObject(expected);
  });

  it('validates mapping entries', () => {
    expect(() => parseVrlMappings([{ program: 'x.vrl' }])).toThrow(/keyPrefix or sourcetype/);
    expect(() => parseVrlMappings([{ program: 'x.txt', keyPrefix: 'a/' }])).toThrow(/\.vrl/);
  });
});

describe('quarantining', () => {
  it('rejects a mapped alert that lacks a required field, naming the field and the program', () => {
    const noName = compileVrlProgram('no-name.vrl', '. = {"src": .a, "dst": .a, "time": 1.5}');
    const set = { ...programs, programs: new Map([...programs.programs, ['no-name', noName]]) };
    const record = { a: 'host-1' };
    const { alerts, failures } = mapRecords(set, [record], {
      inputKey: 'k',
      inputName: 'n',
      indexes: [7],
      program: 'no-name',
    });
    expect(alerts).toEqual([]);
    expect(failures).toEqual([
      {
        record_index: 7,
        program: 'no-name',
        chain: ['no-name'],
        reason: expect.stringMatching(/^mapped alert is invalid: field name: /),
        record,
      },
    ]);
  });

  it('quarantines a Suricata alert without addresses', () => {
    const record = { event_type: 'alert', timestamp: '2024-01-01', alert: { signature: 'x' } };
    const { failures } = mapRecords(programs, [record], { inputKey: 'k', inputName: 'n' });
    expect(failures[0]).toMatchObject({ reason: 'src_ip or dest_ip is missing', record });
  });
});
