import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateAlerts } from '../../bench/generator/generate.js';
import { writeGenerated } from '../../bench/generator/write.js';
import { inputAlertSchema } from '../../core/formats.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'generator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the alert generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = [...generateAlerts({ alerts: 500, seed: 3 })];
    const b = [...generateAlerts({ alerts: 500, seed: 3 })];
    const c = [...generateAlerts({ alerts: 500, seed: 4 })];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('yields exactly the asked number of valid alerts in time order with unique ids', () => {
    const items = [...generateAlerts({ alerts: 2_000, seed: 1, campaigns: 5, attackShare: 0.3 })];
    expect(items).toHaveLength(2_000);
    expect(new Set(items.map((i) => i.alert.id)).size).toBe(2_000);
    for (let i = 1; i < items.length; i++) {
      expect(items[i]!.alert.time).toBeGreaterThanOrEqual(items[i - 1]!.alert.time);
    }
    for (const i of items) expect(inputAlertSchema.safeParse(i.alert).success).toBe(true);
    const labels = new Set(items.map((i) => i.label));
    expect([...labels].sort()).toEqual([
      'campaign-0',
      'campaign-1',
      'campaign-2',
      'campaign-3',
      'campaign-4',
      'noise',
    ]);
    expect(items.filter((i) => i.label !== 'noise')).toHaveLength(600);
  });

  it('walks every campaign through its stages in tactic order', () => {
    const order = ['reconnaissance', 'discovery', 'initial-access', 'execution'];
    const items = [...generateAlerts({ alerts: 3_000, seed: 9 })].filter((i) => i.stage !== '');
    const byCampaign = new Map<string, string[]>();
    for (const i of items) byCampaign.set(i.label, [...(byCampaign.get(i.label) ?? []), i.stage]);
    for (const seen of byCampaign.values()) {
      expect(seen[0]).toBe('reconnaissance');
      const ranks = seen.map((s) => order.indexOf(s)).filter((r) => r >= 0);
      expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    }
  });

  it('writes the internal format and a Splunk export with labels beside them', async () => {
    const internal = path.join(dir, 'a.json');
    const splunk = path.join(dir, 'a.jsonl');
    expect(await writeGenerated(generateAlerts({ alerts: 300 }), internal, 'internal')).toBe(300);
    expect(await writeGenerated(generateAlerts({ alerts: 300 }), splunk, 'splunk')).toBe(300);
    const parsed = JSON.parse(readFileSync(internal, 'utf8')) as { input: unknown[] };
    expect(parsed.input).toHaveLength(300);
    const lines = readFileSync(splunk, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0].result.sourcetype).toBe('suricata:alert');
    expect(readFileSync(`${internal}.labels.jsonl`, 'utf8').trim().split('\n')).toHaveLength(300);
  });
});
