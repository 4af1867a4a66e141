import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFileSchema } from '../../core/output-formats.js';
import { sharedData } from '../helpers/shared-data.js';
import { cliEnv, ensureBuilt, runCli } from './cli.js';

/** Every real SIEM sample of the shared data, in the form the SIEM exported it. */
const samples = [
  ...['1.json__', '2.json', '4.json', '5.json', '7.json', '8.json', '10.json'].map(
    (n) => `alerts/labeled/cptc2017/splunk_export/NationalTeam${n}.gz`,
  ),
  'alerts/cypienta_splunk_cef_sample.json',
  ...[
    'cptc2017_national_team1',
    'cptc2017_national_team2',
    'cptc2017_national_team5',
    'cptc2017_national_team7',
    'first-org-conf-2015',
    'honeypot-2018',
    'wrccdc-2017',
    'wrccdc-2018',
  ].map((n) => `alerts/suricata/${n}.jsonl`),
  'alerts/splunk_cim/demisto_splunkpy_response_two_events.json',
  'alerts/splunk_cim/demisto_splunkpy_test_notable_event.json',
  'alerts/elastic/kibana_cypress_query_alert_data.json',
].map((relative) => sharedData(relative));

interface Summary {
  inputKey: string;
  error?: string;
  splunk: {
    records: number;
    mapped: number;
    failed: number;
    failedPrefix: string;
    inputName: string;
  };
  result: { run: string; alerts: number; rejected: number };
}

let dataDir: string;
let summaries: Summary[];
beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-siem-'));
}, 300_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Failure records under transformed_failed/<name>/, from the splitter and the VRL programs. */
function quarantined(name: string): { reason: string }[] {
  const dir = path.join(dataDir, 'store/splunk_input/scratch/transformed_failed', name);
  const files = (() => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  })();
  return files.flatMap((f) => {
    const doc = JSON.parse(readFileSync(path.join(dir, f), 'utf8'));
    return (doc.failures ?? doc) as { reason: string }[];
  });
}

describe.skipIf(samples.some((s) => s.skip))('SIEM exports through the main command', () => {
  it('runs every sample through VRL and the pipeline', async () => {
    const env = await cliEnv(dataDir);
    const out = await runCli(['run', ...samples.map((s) => s.path), '--json'], env);
    expect(out.code, out.stderr.slice(-2000)).toBe(0);
    summaries = JSON.parse(out.stdout);
    expect(summaries).toHaveLength(samples.length);
    for (const s of summaries) expect(s.inputKey).toMatch(/^splunk_input\/input\//);
  }, 600_000);

  it('accounts for every record: in event.json or quarantined with a reason', () => {
    let total = 0;
    for (const s of summaries) {
      const failures = quarantined(s.splunk.inputName);
      expect(failures, s.inputKey).toHaveLength(s.splunk.failed);
      for (const f of failures) expect(f.reason, s.inputKey).toMatch(/\w{4}/);
      const events = eventFileSchema.parse(
        JSON.parse(
          readFileSync(path.join(dataDir, 'store/output', s.result.run, 'event.json'), 'utf8'),
        ),
      ).events;
      expect(events.length + s.result.rejected + failures.length, s.inputKey).toBe(
        s.splunk.records,
      );
      total += s.splunk.records;
    }
    // CPTC exports 33,877 + Suricata 14,369 + Cypienta 20 + notables 3 + Elastic 1.
    expect(total).toBe(48_270);
  });
});
