import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaign, listCampaigns } from '../../activities/tickets/index.js';
import { runKeys } from '../../core/keys.js';
import { enrichAlertInputSchema } from '../../core/output-formats.js';
import { getJson, putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { makeInput, twoCampaigns } from '../helpers/alerts.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { FakeJira } from './fake-jira.js';
import { historyText } from './history-text.js';

const token = 'jira-token-ingest-0c2b9e1f';
let env: TemporalTestEnv;
let jira: FakeJira;
beforeAll(async () => {
  env = await startTemporalTestEnv();
  jira = await new FakeJira('SEC', 'ops@example.com', token).start();
});
afterAll(async () => {
  await jira?.stop();
  await env?.stop();
});

describe('IngestWorkflow with the ticketing steps', () => {
  it('starts campaign and JIRA children, says cases are off, writes campaigns', async () => {
    const config = testConfig(env, {
      JIRA_URL: jira.url,
      JIRA_EMAIL: 'ops@example.com',
      JIRA_API_TOKEN: token,
      JIRA_PROJECT: 'SEC',
      EVENT_THRESHOLD: '2',
      TACTIC_THRESHOLD: '0',
    });
    expect(config.pipeline.tickets).toEqual({
      campaigns: true,
      jira: true,
      cases: false,
      eventThreshold: 2,
      tacticThreshold: 0,
      perFlow: false,
    });
    const deps = await testDeps(config);
    // One lone alert a day later: a cluster of its own, below EVENT_THRESHOLD.
    const noise = makeInput([
      {
        attacker: '203.0.113.9',
        targets: ['198.51.100.3'],
        start: 1_700_150_000,
        alerts: 1,
        names: ['Brute Force attempt on ssh'],
      },
    ]).input.map((a) => ({ ...a, id: 'noise-0' }));
    await putJson(deps.store, 'input/tickets.json', { input: [...twoCampaigns.input, ...noise] });
    const started = await startIngest(env.client, deps.store, config, 'input/tickets.json');
    const result = await withWorker(env, deps, () => started.handle.result());

    expect(result.tickets).toMatchObject({
      campaigns: { created: 2, updated: 0, belowThreshold: 1, clusters: 3 },
      jira: { created: 2 },
      cases: 'off',
    });
    const campaigns = await listCampaigns(deps.store, { run: result.run });
    expect(campaigns.map((c) => c.cluster).sort()).toEqual(['c0', 'c1']);
    expect(campaigns.reduce((n, c) => n + c.size, 0)).toBe(40);
    expect(await getCampaign(deps.store, campaigns[0]!.id)).toEqual(campaigns[0]);
    expect([...jira.issues.values()].filter((i) => i.summary.includes(result.run))).toHaveLength(2);
    // No ticket reads the lone alert's cluster, so it has no alerts file of its own.
    const enrich = enrichAlertInputSchema.parse(
      await getJson(deps.store, result.outputs.enrichAlertInputKey),
    );
    const lone = enrich.clusters.find((c) => c.cluster.alert_ids.includes('noise-0'))!;
    expect(lone.cluster.size).toBe(1);
    expect(lone.alertsKey).toBeUndefined();
    expect(await deps.store.exists(runKeys(result.run).clusterAlerts(lone.cluster.id))).toBe(false);
    for (const c of enrich.clusters.filter((e) => e !== lone)) {
      expect(await deps.store.exists(c.alertsKey ?? '(absent)')).toBe(true);
    }

    for (const step of ['campaign', 'jira']) {
      const child = env.client.workflow.getHandle(`${started.workflowId}/${step}`);
      expect((await child.describe()).status.name).toBe('COMPLETED');
    }
    const history = await historyText(env.client, started.workflowId);
    expect(history).not.toContain(token);
    expect(history).toContain('"jira":true');
  });
});
