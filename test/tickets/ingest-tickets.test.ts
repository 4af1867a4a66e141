import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaign, listCampaigns } from '../../activities/tickets/index.js';
import { putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { twoCampaigns } from '../helpers/alerts.js';
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
    await putJson(deps.store, 'input/tickets.json', twoCampaigns);
    const started = await startIngest(env.client, deps.store, config, 'input/tickets.json');
    const result = await withWorker(env, deps, () => started.handle.result());

    expect(result.tickets).toMatchObject({
      campaigns: { created: 2, updated: 0, belowThreshold: 0 },
      jira: { created: 2 },
      cases: 'off',
    });
    const campaigns = await listCampaigns(deps.store, { run: result.run });
    expect(campaigns.map((c) => c.cluster).sort()).toEqual(['c0', 'c1']);
    expect(campaigns.reduce((n, c) => n + c.size, 0)).toBe(40);
    expect(await getCampaign(deps.store, campaigns[0]!.id)).toEqual(campaigns[0]);
    expect([...jira.issues.values()].filter((i) => i.summary.includes(result.run))).toHaveLength(2);

    for (const step of ['campaign', 'jira']) {
      const child = env.client.workflow.getHandle(`${started.workflowId}/${step}`);
      expect((await child.describe()).status.name).toBe('COMPLETED');
    }
    const history = await historyText(env.client, started.workflowId);
    expect(history).not.toContain(token);
    expect(history).toContain('"jira":true');
  });
});
