import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCampaigns } from '../../activities/tickets/index.js';
import { lookupKey } from '../../activities/tickets/lookup.js';
import type { casesWorkflow, campaignWorkflow, jiraWorkflow } from '../../workflows/index.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import {
  startTemporalTestEnv,
  testConfig,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { captureLogs } from './captured-log.js';
import { FakeJira } from './fake-jira.js';
import { FakeKibana } from './fake-kibana.js';
import { saveHistory } from '../helpers/histories.js';
import { historyText } from './history-text.js';
import { writeTicketInput, type FixtureCluster } from './ticket-fixture.js';

const email = 'pages@example.com';
const token = 'jira-token-pages-7c9e6679f1a4';
const apiKey = 'a2liYW5hLWtleS1pZDpwYWdlcy0wMDAx';
const logs = captureLogs();
let env: TemporalTestEnv;
let jira: FakeJira;
let kibana: FakeKibana;

beforeAll(async () => {
  env = await startTemporalTestEnv();
  jira = await new FakeJira('SEC', email, token).start();
  kibana = await new FakeKibana(apiKey).start();
});
afterAll(async () => {
  await kibana?.stop();
  await jira?.stop();
  await env?.stop();
});

/** Five clusters over the thresholds, and two single noise alerts between them. */
const clusters: FixtureCluster[] = [
  { id: 'c0', alerts: 3, tactics: ['TA0006'] },
  { id: 'c1', alerts: 1, tactics: ['TA0006'], noAlertsFile: true },
  { id: 'c2', alerts: 4, tactics: ['TA0006', 'TA0007'] },
  { id: 'c3', alerts: 2, tactics: ['TA0001'] },
  { id: 'c4', alerts: 1, tactics: [], noAlertsFile: true },
  { id: 'c5', alerts: 2, tactics: ['TA0040'] },
  { id: 'c6', alerts: 5, tactics: ['TA0002'] },
];
const ticketed = ['c0', 'c2', 'c3', 'c5', 'c6'];
const thresholds = { eventThreshold: 2, tacticThreshold: 1 };

async function setup(name: string) {
  const config = testConfig(env, {
    JIRA_URL: jira.url,
    JIRA_EMAIL: email,
    JIRA_API_TOKEN: token,
    JIRA_PROJECT: 'SEC',
    KIBANA_URL: kibana.url,
    KIBANA_API_KEY: apiKey,
  });
  const deps = await createActivityDeps(config, logs.logger);
  const run = `pages-${name}-${Date.now()}`;
  const enrichAlertInputKey = await writeTicketInput(deps.store, run, clusters);
  return { config, deps, run, enrichAlertInputKey };
}

const subjectsOf = (titles: string[], run: string) =>
  titles
    .filter((t) => t.includes(run))
    .map((t) => /\b(c\d+)\b/.exec(t)?.[1])
    .sort();

describe('ticketing steps over pages of clusters', () => {
  it('JIRA: an issue only per cluster over the thresholds, across pages and runs', async () => {
    const { config, deps, run, enrichAlertInputKey } = await setup('jira');
    const handle = await env.client.workflow.start<typeof jiraWorkflow>('jiraWorkflow', {
      workflowId: `${run}/jira`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey, ...thresholds, pageSize: 2, clustersPerRun: 2 }],
    });
    const result = await withWorker(env, deps, () => handle.result());
    expect(result).toMatchObject({ created: 5, updated: 0, replaced: 0, adopted: 0 });
    expect(result.tickets.map((t) => ('cluster' in t ? t.cluster : t.flow))).toEqual(ticketed);
    const summaries = [...jira.issues.values()].map((i) => i.summary);
    expect(subjectsOf(summaries, run)).toEqual(ticketed);
    for (const below of ['c1', 'c4']) {
      expect(await deps.store.exists(lookupKey('jira', run, below))).toBe(false);
    }
    // Two clusters per run: the workflow continued as new twice, carrying its counts.
    const latest = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(latest.runId).not.toBe(handle.firstExecutionRunId);
    const firstRun = env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
    const first = await historyText(env.client, handle.workflowId, handle.firstExecutionRunId);
    expect(first.match(/^syncJiraIssue$/gm)).toHaveLength(2);
    expect(first).not.toMatch(/^listTicketClusters$/m);
    saveHistory('jira-pages-continue-as-new', handle.workflowId, await firstRun.fetchHistory());
  });

  it('cases: a case only per cluster over the thresholds, linked counts summed', async () => {
    const { config, deps, run, enrichAlertInputKey } = await setup('cases');
    const handle = await env.client.workflow.start<typeof casesWorkflow>('casesWorkflow', {
      workflowId: `${run}/cases`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey, ...thresholds, pageSize: 3, clustersPerRun: 4 }],
    });
    const result = await withWorker(env, deps, () => handle.result());
    expect(result).toMatchObject({ created: 5, updated: 0, alertsLinked: 'off' });
    const titles = [...kibana.cases.values()].map((c) => c.title);
    expect(subjectsOf(titles, run)).toEqual(ticketed);
    expect(await deps.store.exists(lookupKey('cases', run, 'c1'))).toBe(false);
  });

  it('campaigns: written page by page, below-threshold count from the pages', async () => {
    const { config, deps, run, enrichAlertInputKey } = await setup('campaigns');
    const handle = await env.client.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      workflowId: `${run}/campaign`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey, ...thresholds, pageSize: 2 }],
    });
    const result = await withWorker(env, deps, () => handle.result());
    expect(result).toEqual({ created: 5, updated: 0, belowThreshold: 2, clusters: 7 });
    const campaigns = await listCampaigns(deps.store, { run });
    expect(campaigns.map((c) => c.cluster).sort()).toEqual(ticketed);
    const history = await historyText(env.client, handle.workflowId);
    expect(history.match(/^listTicketClusterPage$/gm)).toHaveLength(3);
    saveHistory('campaign-pages', handle.workflowId, await handle.fetchHistory());
  });
});
