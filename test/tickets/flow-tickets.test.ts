import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupKey, type TicketLookup } from '../../activities/tickets/lookup.js';
import { getJson } from '../../core/store/index.js';
import type { casesWorkflow, jiraWorkflow } from '../../workflows/index.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { FakeJira } from './fake-jira.js';
import { FakeKibana } from './fake-kibana.js';
import { writeTicketInput, type FixtureCluster } from './ticket-fixture.js';

const email = 'flows@example.com';
const token = 'jira-token-flows-7f3a9c21';
const apiKey = 'a2liYW5hLWZsb3dzOnNlY3JldC0xYjJj';
let env: TemporalTestEnv;
let jira: FakeJira;
let kibana: FakeKibana;
let runs = 0;

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

// f0 links c0 and c1; f1 holds c2 alone, which its cluster ticket already covers.
const clusters: FixtureCluster[] = [
  { id: 'c0', alerts: 4, tactics: ['TA0001'] },
  { id: 'c1', alerts: 3, tactics: ['TA0006', 'TA0007'] },
  { id: 'c2', alerts: 2, tactics: ['TA0040'], flow: 'f1' },
];

async function setup(overrides: Record<string, string>) {
  const config = testConfig(env, {
    JIRA_URL: jira.url,
    JIRA_EMAIL: email,
    JIRA_API_TOKEN: token,
    JIRA_PROJECT: 'SEC',
    KIBANA_URL: kibana.url,
    KIBANA_API_KEY: apiKey,
    ...overrides,
  });
  const deps = await testDeps(config);
  const run = `flows-${++runs}-${Date.now()}`;
  const enrichAlertInputKey = await writeTicketInput(deps.store, run, clusters);
  // As runTicketSteps passes it: the switch only, never the credentials.
  const perFlow = config.pipeline.tickets?.perFlow ? { perFlow: true } : {};
  const input = { run, enrichAlertInputKey, ...perFlow };
  let attempt = 0;
  const runSteps = () =>
    withWorker(env, deps, async () => {
      const common = { taskQueue: config.temporal.taskQueue, args: [input] as const };
      attempt += 1;
      const issues = await env.client.workflow.execute<typeof jiraWorkflow>('jiraWorkflow', {
        ...common,
        workflowId: `${run}/jira-${attempt}`,
      });
      const cases = await env.client.workflow.execute<typeof casesWorkflow>('casesWorkflow', {
        ...common,
        workflowId: `${run}/cases-${attempt}`,
      });
      return { issues, cases };
    });
  return { deps, run, runSteps };
}

const issuesOf = (run: string) => [...jira.issues.values()].filter((i) => i.summary.includes(run));
const casesOf = (run: string) => [...kibana.cases.values()].filter((c) => c.title.includes(run));

describe('tickets per flow (TICKETS_PER_FLOW)', () => {
  it('keeps one issue and one case for a flow of two clusters, and none on a rerun', async () => {
    const { deps, run, runSteps } = await setup({ TICKETS_PER_FLOW: 'true' });
    const first = await runSteps();
    expect(first.issues).toMatchObject({ created: 4, updated: 0, adopted: 0 });
    expect(first.cases).toMatchObject({ created: 4, updated: 0, adopted: 0 });
    expect(first.issues.tickets.filter((t) => 'flow' in t)).toEqual([
      expect.objectContaining({ flow: 'f0', action: 'created' }),
    ]);

    const flowIssues = issuesOf(run).filter((i) => i.summary.startsWith('Attack flow f0'));
    expect(flowIssues).toHaveLength(1);
    const issue = flowIssues[0]!;
    expect(issue.summary).toContain('2 clusters, 7 alerts, 3 tactics');
    expect(issue.description).toContain('Clusters in this flow: c0, c1');
    expect(issue.description).toContain('Tactics: TA0001, TA0006, TA0007');
    expect(issue.description).toContain('c0 -> c1 (score 0.75)');
    expect(issue.description).toMatch(/Priorities: 7 values, mean [\d.]+, median 2/);
    expect(issue.attachments.map((a) => a.filename)).toEqual(['alerts-flow-f0.json']);
    expect(JSON.parse(issue.attachments[0]!.content)).toMatchObject({
      flow: 'f0',
      clusters: ['c0', 'c1'],
      alerts: 7,
      of: 7,
    });
    const saved = await getJson<TicketLookup>(deps.store, lookupKey('jira', run, 'flow-f0'));
    expect(saved).toMatchObject({ flow: 'f0', ticket: issue.key, generation: 0 });
    const flowCases = casesOf(run).filter((c) => c.title.startsWith('Attack flow f0'));
    expect(flowCases).toHaveLength(1);
    expect(flowCases[0]!.files.map((f) => f.filename)).toEqual(['alerts-flow-f0.json']);
    expect(await getJson<TicketLookup>(deps.store, lookupKey('cases', run, 'flow-f0'))).toEqual(
      expect.objectContaining({ ticket: flowCases[0]!.id }),
    );

    const again = await runSteps();
    expect(again.issues).toMatchObject({ created: 0, updated: 4, replaced: 0 });
    expect(again.cases).toMatchObject({ created: 0, updated: 4, replaced: 0 });
    expect(issuesOf(run)).toHaveLength(4);
    expect(casesOf(run)).toHaveLength(4);
  });

  it('makes no flow tickets when the setting is off, as by default', async () => {
    const { deps, run, runSteps } = await setup({});
    const result = await runSteps();
    expect(result.issues).toMatchObject({ created: 3 });
    expect(result.cases).toMatchObject({ created: 3 });
    expect(issuesOf(run).filter((i) => i.summary.startsWith('Attack flow'))).toHaveLength(0);
    expect(casesOf(run).filter((c) => c.title.startsWith('Attack flow'))).toHaveLength(0);
    expect(await deps.store.exists(lookupKey('jira', run, 'flow-f0'))).toBe(false);
  });
});
