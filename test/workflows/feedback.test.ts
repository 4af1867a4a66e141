import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getCampaign } from '../../activities/tickets/index.js';
import { feedbackWeightsKey, runKeys, techniqueLookupKey } from '../../core/keys.js';
import { getJson } from '../../core/store/index.js';
import { feedbackInput, sendFeedback } from '../../starters/feedback-signal.js';
import { feedbackProgressQuery } from '../../workflows/feedback.js';
import { twoCampaigns } from '../helpers/alerts.js';
import {
  startTemporalTestEnv,
  testConfig,
  testDeps,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { FakeJira } from '../tickets/fake-jira.js';
import { historyText } from '../tickets/history-text.js';
import { runToCampaigns, waitForRecord } from '../feedback/campaign-run.js';
import { saveHistory } from '../helpers/histories.js';

const token = 'jira-token-feedback-5d1e7a';
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

describe('FeedbackWorkflow on a real Temporal dev server', () => {
  it('handles requests in order, stores weights and records, follows with tickets', async () => {
    const config = testConfig(env, {
      TACTIC_THRESHOLD: '0',
      JIRA_URL: jira.url,
      JIRA_EMAIL: 'ops@example.com',
      JIRA_API_TOKEN: token,
      JIRA_PROJECT: 'SEC',
    });
    const deps = await testDeps(config);
    const workflowId = `feedback-test-${config.temporal.taskQueue}`;
    await withWorker(env, deps, async () => {
      const { run, byCluster } = await runToCampaigns(
        deps,
        env.client,
        'input/fb.json',
        twoCampaigns,
      );
      const c0 = byCluster.get('c0')!;
      const c1 = byCluster.get('c1')!;
      expect([c0.size, c1.size]).toEqual([24, 16]);
      // Started first so that the test knows the first run of the continue-as-new chain.
      const input = { ...feedbackInput(config), requestsBeforeContinueAsNew: 2 };
      const first = await env.client.workflow.start('feedbackWorkflow', {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [input],
      });
      const send = (action: Parameters<typeof sendFeedback>[2]) =>
        sendFeedback(env.client, config, action, { workflowId, input });

      const [a, b, c] = [c0.alertIds[0]!, c0.alertIds[1]!, c0.alertIds[2]!];
      const ids = [
        await send({
          kind: 'cut',
          source: c0.id,
          targets: [{ campaign: c1.id, eventIds: [a, b] }],
          eventWeights: { port: 0.5 },
          nodeWeights: {},
        }),
        await send({ kind: 'hide', campaign: c0.id, eventIds: [c], hidden: true }),
        await send({
          kind: 'cut',
          source: c0.id,
          targets: [{ campaign: c1.id, eventIds: [c] }],
          eventWeights: {},
          nodeWeights: {},
        }),
        // Already moved by the request before: rejected, and the workflow carries on.
        await send({
          kind: 'cut',
          source: c0.id,
          targets: [{ campaign: c1.id, eventIds: [a] }],
          eventWeights: {},
          nodeWeights: {},
        }),
        await send({
          kind: 'techniques',
          campaign: c1.id,
          eventId: a,
          techniques: ['T1110'],
          sameName: true,
        }),
      ];
      const records = [];
      for (const id of ids) records.push(await waitForRecord(deps, id));
      expect(records.map((r) => r.status)).toEqual([
        'applied',
        'applied',
        'applied',
        'rejected',
        'applied',
      ]);
      expect(records[3]!.reason).toContain(`event ${a} is not in campaign ${c0.id}`);
      // In the order sent: each record was stored after the one before it.
      const times = records.map((r) => r.processedAt);
      expect([...times].sort()).toEqual(times);
      expect(records[0]!.campaigns).toEqual([
        { id: c0.id, size: 22 },
        { id: c1.id, size: 18 },
      ]);
      expect(records[0]!.tickets).toMatchObject({ jira: '2 updated, 0 created', cases: 'off' });

      expect((await getCampaign(deps.store, c0.id))!.size).toBe(21);
      const target = (await getCampaign(deps.store, c1.id))!;
      expect(target.size).toBe(19);
      expect(target.alertIds).toEqual(expect.arrayContaining([a, b, c]));
      expect(target.description).toContain('T1110');

      const weights = await getJson<Record<string, Record<string, number>>>(
        deps.store,
        feedbackWeightsKey,
      );
      // The first cut blamed the attacker (left behind, not in the target); by the second cut
      // the target holds the attacker's moved events too, so that cut blames it no further.
      expect(weights.node!['10.9.0.1']).toBe(0.75);
      expect(weights.event).toMatchObject({ 'port=22': 0.5 });
      expect(weights.feedback).toBe(ids[2]);
      const lookup = await getJson<Record<string, string[]>>(deps.store, techniqueLookupKey);
      const named = (
        await getJson<{ events: { id: string; name: string }[] }>(deps.store, runKeys(run).eventOut)
      ).events.find((e) => e.id === a)!.name;
      expect(lookup[named]).toEqual(['T1110']);

      const issues = [...jira.issues.values()].filter((i) => i.summary.includes(run));
      expect(issues.find((i) => i.summary.includes('c1'))!.description).toContain(`Alert ids (19)`);

      const handle = env.client.workflow.getHandle(workflowId);
      const progress = await handle.query(feedbackProgressQuery);
      expect(progress).toMatchObject({ handled: 5, pending: 0, continuedAsNew: 2 });
      const firstRun = env.client.workflow.getHandle(workflowId, first.firstExecutionRunId);
      expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
      saveHistory('feedback-continue-as-new', workflowId, await firstRun.fetchHistory());
      expect(await historyText(env.client, workflowId)).not.toContain(token);
      await handle.terminate('test finished');
    });
  });

  it('keeps the order of changes sent before its first workflow task, whatever their kind', async () => {
    const config = testConfig(env);
    const deps = await testDeps(config);
    const workflowId = `feedback-burst-${config.temporal.taskQueue}`;
    const input = feedbackInput(config);
    const send = (action: Parameters<typeof sendFeedback>[2]) =>
      sendFeedback(env.client, config, action, { workflowId, input });
    // No worker polls yet: every signal lands in the run's first workflow task.
    const missing = (n: number) => `nowhere--c${n}`;
    const ids = [
      await send({ kind: 'hide', campaign: missing(0), eventIds: ['e'], hidden: true }),
      await send({
        kind: 'cut',
        source: missing(1),
        targets: [{ campaign: missing(2), eventIds: ['e'] }],
        eventWeights: {},
        nodeWeights: {},
      }),
      await send({
        kind: 'techniques',
        campaign: missing(3),
        eventId: 'e',
        techniques: [],
        sameName: false,
      }),
      await send({ kind: 'hide', campaign: missing(4), eventIds: ['e'], hidden: false }),
    ];
    await withWorker(env, deps, async () => {
      const records = [];
      for (const id of ids) records.push(await waitForRecord(deps, id));
      expect(records.map((r) => [r.kind, r.status])).toEqual([
        ['hide', 'rejected'],
        ['cut', 'rejected'],
        ['techniques', 'rejected'],
        ['hide', 'rejected'],
      ]);
      expect(records.map((r) => r.reason)).toEqual(
        [0, 1, 3, 4].map((n) => expect.stringContaining(missing(n))),
      );
      const times = records.map((r) => r.processedAt);
      expect([...times].sort()).toEqual(times);
      await env.client.workflow.getHandle(workflowId).terminate('test finished');
    });
  });
});
