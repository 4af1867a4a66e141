import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterFileSchema, eventFileSchema, flowFileSchema } from '../../core/output-formats.js';
import { sharedData } from '../helpers/shared-data.js';
import { cliEnv, ensureBuilt, runCli } from './cli.js';

const alertsFile = sharedData('alerts/internal/cptc2017_team1.json');
const attackBundle = sharedData('attack/enterprise-attack.json');

let dataDir: string;
let env: Record<string, string>;
beforeAll(async () => {
  ensureBuilt();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-e2e-'));
  env = { ...(await cliEnv(dataDir)), ATTACK_BUNDLE: attackBundle.path };
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe.skipIf(alertsFile.skip)(
  'the main command on CPTC 2017 team 1 (4,274 Suricata alerts)',
  () => {
    let summary: {
      workflowId: string;
      webUi: string;
      result: {
        run: string;
        alerts: number;
        rejected: number;
        rejectedKey: string;
        clusters: number;
        flows: number;
      };
    };

    it('runs the whole pipeline and prints a summary', async () => {
      const out = await runCli(['run', alertsFile.path, '--json'], env);
      expect(out.stderr).not.toMatch(/"level":50/);
      expect(out.code).toBe(0);
      [summary] = JSON.parse(out.stdout);
      expect(summary.result).toMatchObject({ alerts: 4274, rejected: 0 });
      expect(summary.webUi).toMatch(
        /^http:\/\/localhost:\d+\/namespaces\/default\/workflows\/ingest-/,
      );
    });

    it('writes each input alert to event.json once, consistent with clusters and flows', () => {
      const input = readJson(alertsFile.path) as { input: { id: string; time: number }[] };
      const out = path.join(dataDir, 'store/output', summary.result.run);
      const events = eventFileSchema.parse(readJson(path.join(out, 'event.json'))).events;
      const clusters = clusterFileSchema.parse(readJson(path.join(out, 'cluster.json'))).clusters;
      const flows = flowFileSchema.parse(readJson(path.join(out, 'flow.json'))).flows;

      expect(events.map((e) => e.id).sort()).toEqual(input.input.map((a) => a.id).sort());
      expect(clusters).toHaveLength(summary.result.clusters);
      expect(flows).toHaveLength(summary.result.flows);

      const flowOfCluster = new Map<string, string>();
      for (const f of flows) {
        for (const c of f.cluster_ids) {
          expect(flowOfCluster.has(c), `cluster ${c} in two flows`).toBe(false);
          flowOfCluster.set(c, f.id);
        }
        for (const e of f.edges)
          expect(f.cluster_ids).toEqual(expect.arrayContaining([e.from, e.to]));
      }
      for (const c of clusters) {
        const members = events.filter((e) => e.cluster === c.id);
        expect(members.map((e) => e.id).sort()).toEqual([...c.alert_ids].sort());
        expect(c.size).toBe(members.length);
        expect(c.start).toBe(Math.min(...members.map((e) => e.time)));
        expect(c.end).toBe(Math.max(...members.map((e) => e.time)));
        expect(flowOfCluster.has(c.id)).toBe(true);
        for (const e of members) expect(e.flow).toBe(flowOfCluster.get(c.id));
      }
      const rejected = readJson(path.join(dataDir, 'store', summary.result.rejectedKey));
      expect(rejected).toEqual([]);
    });

    it('keeps runs across a restart: the same file does not run twice', async () => {
      const out = await runCli(['run', alertsFile.path, '--json'], env);
      expect(out.code).toBe(0);
      const [again] = JSON.parse(out.stdout);
      expect(again.workflowId).toBe(summary.workflowId);
      expect(again.webUi).toBe(summary.webUi);
    });
  },
);

describe('the main command on bad input', () => {
  it('ends a truncated file with an error naming the file', async () => {
    const file = path.join(dataDir, 'broken.json');
    writeFileSync(file, '{"input": [{"id": "1", "time": 3, "src": "a"');
    const out = await runCli(['run', file], env);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAILED\s+input\/broken\.json: not valid JSON/);
  });

  it('lists every rejected record with its reason and still finishes', async () => {
    const file = path.join(dataDir, 'partly-bad.json');
    const good = { id: 'ok-1', time: 1_700_000_000, src: 'a', dst: 'b', name: 'ET SCAN probe' };
    writeFileSync(
      file,
      JSON.stringify({ input: [good, { ...good, id: 'bad', time: 'noon' }, { id: 'x' }] }),
    );
    const out = await runCli(['run', file], env);
    expect(out.code, out.stdout + out.stderr).toBe(0);
    expect(out.stdout).toMatch(/accepted\s+1/);
    expect(out.stdout).toMatch(/rejected\s+2\s+\(reasons: .*rejected\.json\)/);
  });

  it('refuses a bad setting before starting anything, naming it', async () => {
    const out = await runCli(['run', 'whatever.json'], { ...env, TEMPORAL_PORT: 'seventy' });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/TEMPORAL_PORT/);
  });
});
