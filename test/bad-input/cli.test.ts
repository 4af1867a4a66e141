import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RejectedRecord } from '../../core/formats.js';
import type { RunSummary } from '../../starters/summary.js';
import { cliEnv, ensureBuilt, runCli } from '../e2e/cli.js';
import { badInputCorpus } from './corpus.js';

/**
 * Bad files through the main command, as a user runs them: one `run` of several files, where
 * each bad file ends its own run with an error naming it and the others finish.
 */
let dir: string;
let summaries: RunSummary[];
let stderr: string;

const corpusCase = (name: string) => badInputCorpus.find((c) => c.name === name)!.body;

/** Every record-level case of the corpus in one file, each bad record between good ones. */
function mixedFile(): { body: string; bad: { field: string; reason: RegExp }[] } {
  const records: unknown[] = [];
  const bad: { field: string; reason: RegExp }[] = [];
  for (const c of badInputCorpus) {
    if (c.expect.kind !== 'quarantined' || c.expect.rejected[0]?.index !== 1) continue;
    const [, record] = (JSON.parse(c.body.toString('utf8')) as { input: unknown[] }).input;
    records.push({
      id: `good-${bad.length}`,
      time: 1_716_468_856 + bad.length,
      src: '10.0.0.1',
      dst: '10.0.0.5',
      name: 'ET SCAN Nmap scan',
    });
    records.push(record);
    bad.push(c.expect.rejected[0]!);
  }
  return { body: JSON.stringify({ input: records }), bad };
}

const splunkLines = (): string => {
  const result = (n: number, fields: Record<string, unknown> = {}) =>
    JSON.stringify({
      preview: false,
      offset: n,
      result: {
        _time: `2024-05-23T12:00:0${n % 10}.000+0000`,
        sourcetype: 'suricata:alert',
        event_type: 'alert',
        src_ip: '10.1.0.1',
        dest_ip: '10.1.0.9',
        dest_port: '445',
        'alert.signature': 'ET EXPLOIT SMB probe',
        'alert.severity': '2',
        ...fields,
      },
    });
  return [
    result(0),
    result(1),
    '{"preview": false, "result": {"_time": "2024-05-23T12:00:',
    result(3, { _time: 'yesterday' }),
    result(4, { src_ip: '', dest_ip: '' }),
    '{"preview": false, "result": [1, 2, 3]}',
    result(6),
  ].join('\n');
};

beforeAll(async () => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-bad-input-'));
  const files: Record<string, Buffer | string> = {
    'truncated.json': corpusCase('truncated JSON'),
    'empty.json': Buffer.alloc(0),
    'wrong-top.json': corpusCase('"input" is an object'),
    'mixed.json': mixedFile().body,
    'all-bad.json': JSON.stringify({ input: [{ id: 'x' }, 42, null] }),
    'splunk-export.jsonl': splunkLines(),
  };
  for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), body);
  // Told the format, as a user who knows the file is in the internal one; the export is sniffed.
  const internal = Object.keys(files).filter((f) => f.endsWith('.json'));
  const runs = [
    ['run', ...internal.map((f) => path.join(dir, f)), '--source', 'internal', '--json'],
    ['run', path.join(dir, 'splunk-export.jsonl'), '--json'],
  ];
  summaries = [];
  stderr = '';
  for (const args of runs) {
    const out = await runCli(args, await cliEnv(path.join(dir, 'data')));
    stderr += out.stderr;
    summaries.push(...(JSON.parse(out.stdout) as RunSummary[]));
  }
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const summaryOf = (file: string): RunSummary => {
  const found = summaries.find((s) => s.inputKey.endsWith(`/${file}`));
  expect(found, `no summary for ${file}; stderr: ${stderr.slice(-1500)}`).toBeDefined();
  return found!;
};

describe('bad files through `run`', () => {
  it.each([
    ['truncated.json', /truncated\.json: not valid JSON/],
    ['empty.json', /empty\.json: the file is empty/],
    ['wrong-top.json', /wrong-top\.json: field "input"/],
  ])('%s ends its run with an error naming the file', (file, message) => {
    const summary = summaryOf(file);
    expect(summary.error).toMatch(message);
    expect(summary.result).toBeUndefined();
  });

  it('quarantines every bad record of a mixed file with its index, field and reason', () => {
    const summary = summaryOf('mixed.json');
    const { bad } = mixedFile();
    expect(summary.error).toBeUndefined();
    expect(summary.result).toMatchObject({ alerts: bad.length, rejected: bad.length });
    const rejected = JSON.parse(
      readFileSync(path.join(dir, 'data/store', summary.result!.rejectedKey), 'utf8'),
    ) as RejectedRecord[];
    expect(rejected.map((r) => r.index)).toEqual(bad.map((_, n) => 2 * n + 1));
    for (const [n, want] of bad.entries()) {
      expect(rejected[n]!.file).toBe(summary.inputKey);
      expect(rejected[n]!.field).toBe(want.field);
      expect(rejected[n]!.reason).toMatch(want.reason);
    }
  });

  it('finishes a file whose every record is bad, with nothing accepted', () => {
    const summary = summaryOf('all-bad.json');
    expect(summary.error).toBeUndefined();
    expect(summary.result).toMatchObject({ alerts: 0, rejected: 3, clusters: 0 });
  });

  it('keeps the bad lines of a Splunk export with their reasons and runs the rest', () => {
    const summary = summaryOf('splunk-export.jsonl');
    expect(summary.error).toBeUndefined();
    expect(summary.splunk).toBeDefined();
    const { records, mapped, failed, inputName } = summary.splunk!;
    expect(records).toBe(mapped + failed);
    expect(failed).toBeGreaterThanOrEqual(2);
    const quarantine = path.join(
      dir,
      'data/store/splunk_input/scratch/transformed_failed',
      inputName,
    );
    const reasons = readdirSync(quarantine)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => {
        const doc = JSON.parse(readFileSync(path.join(quarantine, f), 'utf8'));
        return ((doc.failures ?? doc) as { reason: string }[]).map((r) => r.reason);
      });
    expect(reasons).toHaveLength(failed);
    for (const reason of reasons) expect(reason).toMatch(/\w{4}/);
    expect(summary.result?.alerts).toBeGreaterThanOrEqual(3);
  });
});
