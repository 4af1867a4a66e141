import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inputFileSchema } from '../../core/formats.js';
import { sharedSample, tempStore } from './helpers.js';
import { runSplunkInput } from './pipeline.js';

const { store, cleanup } = tempStore();
afterAll(cleanup);

/** Every record is accounted for: mapped into input/, or quarantined with a reason. */
async function expectAllAccounted(file: string, name: string, expected: { records: number }) {
  const counts = await runSplunkInput(store, file, name);
  const inputName = name.replace(/\.gz$/, '').replace(/\.(json|jsonl)$/, '');
  expect(counts.records + counts.splitQuarantined).toBe(expected.records);
  expect(counts.mapped + counts.failed).toBe(counts.records);
  expect(counts.merged).toBe(counts.mapped);
  const merged: unknown = JSON.parse((await store.get(`input/${inputName}.json`)).toString('utf8'));
  expect(inputFileSchema.parse(merged).input).toHaveLength(counts.mapped);
  const { records, mapped, failed } = counts;
  const summary = `${records} records, ${mapped} mapped, ${failed} quarantined`;
  console.log(`${name}: ${summary}`, Object.fromEntries(counts.reasons));
  return counts;
}

describe('real samples go through split, transform and merge', () => {
  // Alert counts from ../shared/data/alerts/labeled/cptc2017/PROVENANCE.md.
  const cptcCounts: Record<string, number> = {
    'NationalTeam1.json__.gz': 4274,
    'NationalTeam2.json.gz': 2923,
    'NationalTeam4.json.gz': 7801,
    'NationalTeam5.json.gz': 1912,
    'NationalTeam7.json.gz': 4712,
    'NationalTeam8.json.gz': 7150,
    'NationalTeam10.json.gz': 5105,
  };
  for (const [file, records] of Object.entries(cptcCounts)) {
    it(`CPTC 2017 Splunk export ${file}: every alert maps`, async () => {
      const sample = sharedSample(`labeled/cptc2017/splunk_export/${file}`);
      if (!sample) return;
      const counts = await expectAllAccounted(sample, file, { records });
      expect(counts.failed).toBe(0);
    });
  }

  it('the Cypienta CEF-like sample: events without any address are quarantined', async () => {
    const sample = sharedSample('cypienta_splunk_cef_sample.json');
    if (!sample) return;
    const counts = await expectAllAccounted(sample, 'cypienta.json', { records: 20 });
    expect(counts.mapped).toBe(17);
    const reasons = [...counts.reasons.keys()];
    expect(reasons).toEqual([expect.stringMatching(/^no source or destination/)]);
  });

  it('the Suricata EVE files', async () => {
    const dir = sharedSample('suricata');
    if (!dir) return;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.jsonl'))) {
      const lines = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').length;
      const counts = await expectAllAccounted(path.join(dir, file), file, { records: lines });
      expect(counts.failed).toBe(0);
    }
  });

  it('the Splunk ES notables (a single object and an array)', async () => {
    const one = sharedSample('splunk_cim/demisto_splunkpy_test_notable_event.json');
    const two = sharedSample('splunk_cim/demisto_splunkpy_response_two_events.json');
    if (!one || !two) return;
    expect((await expectAllAccounted(one, 'notable-one.json', { records: 1 })).mapped).toBe(1);
    expect((await expectAllAccounted(two, 'notable-two.json', { records: 2 })).mapped).toBe(2);
  });

  it('the Elastic Security alert', async () => {
    const sample = sharedSample('elastic/kibana_cypress_query_alert_data.json');
    if (!sample) return;
    expect((await expectAllAccounted(sample, 'elastic.json', { records: 1 })).mapped).toBe(1);
  });
});
