import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { lookupKey, type TicketLookup } from '../../activities/tickets/lookup.js';
import { getJson, type ObjectStore } from '../../core/store/index.js';
import type { jiraWorkflow } from '../../workflows/index.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import {
  startTemporalTestEnv,
  testConfig,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { captureLogs } from './captured-log.js';
import { historyText } from './history-text.js';
import { FakeJira } from './fake-jira.js';
import { failFirstPut, writeTicketInput, type FixtureCluster } from './ticket-fixture.js';

const email = 'pipeline@example.com';
const token = 'jira-token-5d41402abc4b2a76b9719d911017c592';
const logs = captureLogs();
let env: TemporalTestEnv;
let jira: FakeJira;
const workflowIds: string[] = [];

beforeAll(async () => {
  env = await startTemporalTestEnv();
  jira = await new FakeJira('SEC', email, token).start();
});
afterAll(async () => {
  await jira?.stop();
  await env?.stop();
});

async function setup(clusters: FixtureCluster[], overrides: Record<string, string> = {}) {
  const config = testConfig(env, {
    JIRA_URL: jira.url,
    JIRA_EMAIL: email,
    JIRA_API_TOKEN: token,
    JIRA_PROJECT: 'SEC',
    ...overrides,
  });
  const deps = await createActivityDeps(config, logs.logger);
  const run = `run-${workflowIds.length}-${Date.now()}`;
  const enrichAlertInputKey = await writeTicketInput(deps.store, run, clusters);
  let attempt = 0;
  const start = () =>
    env.client.workflow.start<typeof jiraWorkflow>('jiraWorkflow', {
      workflowId: `${run}/jira-${++attempt}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey }],
    });
  const runOnce = async (activities?: Parameters<typeof withWorker>[3]) => {
    const handle = await start();
    workflowIds.push(handle.workflowId);
    return withWorker(env, deps, () => handle.result(), activities);
  };
  return { config, deps, run, enrichAlertInputKey, runOnce, start };
}

const issuesOf = (run: string) => [...jira.issues.values()].filter((i) => i.summary.includes(run));
const lookup = (store: ObjectStore, run: string, cluster: string) =>
  getJson<TicketLookup>(store, lookupKey('jira', run, cluster));

const twoClusters: FixtureCluster[] = [
  { id: 'c0', alerts: 6, tactics: ['TA0006', 'TA0007'] },
  { id: 'c1', alerts: 3, tactics: ['TA0001'] },
];

describe('JIRA child workflow against a JIRA REST v3 server', () => {
  it('creates one issue per cluster with its alerts attached and saves the lookup', async () => {
    const { deps, run, runOnce } = await setup(twoClusters);
    const result = await runOnce();
    expect(result).toMatchObject({ created: 2, updated: 0, replaced: 0, adopted: 0 });
    const issues = issuesOf(run);
    expect(issues).toHaveLength(2);
    const c0 = issues.find((i) => i.summary.includes('c0'))!;
    expect(c0.description).toContain('Tactics: TA0006, TA0007');
    expect(c0.description).toContain('Techniques: T1110');
    expect(c0.description).toMatch(/Priorities: 6 values, mean 2, median 2/);
    expect(c0.description).toContain('c0-alert-5');
    expect(c0.description).toContain('http://victim/1');
    expect(c0.description).toMatch(/alerts of this cluster: .*cluster_alerts\/c0\.json/);
    expect(c0.attachments.map((a) => a.filename)).toEqual(['alerts-c0.json']);
    expect(JSON.parse(c0.attachments[0]!.content)).toMatchObject({ alerts: 6, of: 6 });
    expect(await lookup(deps.store, run, 'c0')).toMatchObject({ ticket: c0.key, generation: 0 });
  });

  it('updates open issues on a rerun of the same input and creates none', async () => {
    const { run, runOnce } = await setup(twoClusters);
    await runOnce();
    const [first] = issuesOf(run);
    jira.setStatus(first!.key, 'In Progress');
    first!.description = 'edited by hand';
    const creates = jira.callsTo('POST', /\/issue$/).length;
    const again = await runOnce();
    expect(again).toMatchObject({ created: 0, updated: 2, replaced: 0 });
    expect(jira.callsTo('POST', /\/issue$/)).toHaveLength(creates);
    expect(issuesOf(run)).toHaveLength(2);
    expect(first!.description).toContain(`Attack campaign c0 of run ${run}`);
  });

  it('creates a new issue when the earlier one is done, and remembers the old one', async () => {
    const { deps, run, runOnce } = await setup([twoClusters[0]!]);
    await runOnce();
    const old = (await lookup(deps.store, run, 'c0')).ticket;
    jira.setStatus(old, 'Done');
    const again = await runOnce();
    expect(again).toMatchObject({ created: 0, replaced: 1 });
    const saved = await lookup(deps.store, run, 'c0');
    expect(saved.ticket).not.toBe(old);
    expect(saved).toMatchObject({ generation: 1, replaced: [old] });
    expect(issuesOf(run)).toHaveLength(2);
  });

  it('attaches a description too long for JIRA as a file', async () => {
    const { run, runOnce } = await setup([
      { id: 'c0', alerts: 400, tactics: ['TA0006'], idPadding: 80 },
    ]);
    await runOnce();
    const [issue] = issuesOf(run);
    expect(issue!.description.length).toBeLessThanOrEqual(32_000);
    expect(issue!.description).toContain('the whole text is in description-c0.txt');
    const file = issue!.attachments.find((a) => a.filename === 'description-c0.txt');
    expect(file?.content).toContain('c0-alert-399');
  });

  it('waits as long as Retry-After says after a 429, then creates the issue once', async () => {
    const { run, runOnce } = await setup([twoClusters[1]!]);
    jira.inject({
      method: 'POST',
      path: /^\/rest\/api\/3\/issue$/,
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
    });
    const before = jira.calls.length;
    const result = await runOnce();
    expect(result.created).toBe(1);
    const creates = jira.calls.slice(before).filter((c) => c.path === '/rest/api/3/issue');
    expect(creates.map((c) => c.status)).toEqual([429, 201]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(issuesOf(run)).toHaveLength(1);
  });

  it("fails without retrying on a 400, with JIRA's message", async () => {
    const { start, deps } = await setup([twoClusters[1]!], { JIRA_PROJECT: 'NOPE' });
    const handle = await start();
    workflowIds.push(handle.workflowId);
    const failure = await withWorker(env, deps, () => handle.result().catch((e: unknown) => e));
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('TicketServiceRejected');
    expect(cause.nonRetryable).toBe(true);
    expect(cause.message).toBe('JIRA create issue: 400 project: valid project is required');
    const history = await handle.fetchHistory();
    const attempts = history.events?.filter((e) => e.activityTaskStartedEventAttributes);
    expect(attempts?.map((e) => e.activityTaskStartedEventAttributes?.attempt)).toEqual([1, 1]);
  });

  it('adopts the issue when the answer to the create call never arrived', async () => {
    const { deps, run, runOnce } = await setup([twoClusters[0]!]);
    jira.dropNextCreateAnswer = true;
    const result = await runOnce();
    expect(result).toMatchObject({ created: 1, adopted: 1 });
    const issues = issuesOf(run);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.attachments.map((a) => a.filename)).toEqual(['alerts-c0.json']);
    expect((await lookup(deps.store, run, 'c0')).ticket).toBe(issues[0]!.key);
  });

  it('keeps one issue when the worker dies between the create call and the lookup', async () => {
    const { deps, run, runOnce } = await setup(twoClusters);
    // The first attempt per cluster does all of its JIRA work, then dies before the lookup.
    const failing = { ...deps, store: failFirstPut(deps.store, 'scratch/jira/') };
    const real = createActivities(deps);
    const activities = { ...real, syncJiraIssue: createActivities(failing).syncJiraIssue };
    const result = await runOnce(activities);
    expect(result).toMatchObject({ created: 2, adopted: 2 });
    const issues = issuesOf(run);
    expect(issues).toHaveLength(2);
    for (const issue of issues) expect(issue.attachments).toHaveLength(1);
    const rerun = await runOnce();
    expect(rerun).toMatchObject({ created: 0, updated: 2 });
    expect(issuesOf(run)).toHaveLength(2);
  });

  it('leaves no token in workflow histories or logs', async () => {
    expect(workflowIds.length).toBeGreaterThan(5);
    const basic = Buffer.from(`${email}:${token}`).toString('base64');
    for (const id of workflowIds) {
      const history = await historyText(env.client, id);
      expect(history).toContain('enrich_alert_input.json');
      expect(history).not.toContain(token);
      expect(history).not.toContain(basic);
    }
    const logText = logs.lines.join('');
    expect(logText).toContain('JIRA issue created');
    expect(logText).not.toContain(token);
    expect(logText).not.toContain(basic);
  });
});
