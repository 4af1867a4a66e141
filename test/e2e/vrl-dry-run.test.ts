import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../helpers/shared-data.js';
import { ensureBuilt, runCli } from './cli.js';

const sample = sharedData('alerts/cypienta_splunk_cef_sample.json');

let dir: string;
beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-dry-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(sample.skip)('vrl-dry-run on the command line', () => {
  it('maps a sample with the programs a real run would choose, writing nothing', async () => {
    const out = await runCli(['vrl-dry-run', sample.path, '--limit', '20'], { DATA_DIR: dir });
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.records).toBe(20);
    expect(report.alerts.length + report.failures.length).toBe(20);
    for (const f of report.failures) expect(f.reason).toMatch(/\w{4}/);
  });

  it('prints VRL diagnostics with file and line for a program that does not compile', async () => {
    const program = path.join(dir, 'broken.vrl');
    writeFileSync(program, '# mode: record\n.name = "x"\n.time = to_int(.missing_paren\n');
    const out = await runCli(['vrl-dry-run', sample.path, '--program', program], {
      DATA_DIR: dir,
    });
    expect(out.code).toBe(1);
    // The unclosed call runs to the end of the file, where VRL reports it.
    expect(out.stderr).toContain(`${program}:4:1: unexpected end of program`);
  });
});
