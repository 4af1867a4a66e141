import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { casesWorkflow } from '../../workflows/index.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import {
  startTemporalTestEnv,
  testConfig,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { captureLogs } from './captured-log.js';
import { FakeElasticsearch } from './fake-elasticsearch.js';
import { FakeKibana } from './fake-kibana.js';
import { historyText } from './history-text.js';
import { writeTicketInput, type FixtureCluster } from './ticket-fixture.js';

const kibanaKey = 'a2liYW5hLWtleS1pZDpzZWNyZXQtNzcwMWUzZjI=';
const esKey = 'ZXMta2V5LWlkOnNlY3JldC1lcy05YjE0YzBkNmE3';
const logs = captureLogs();
let env: TemporalTestEnv;
let kibana: FakeKibana;
let elastic: FakeElasticsearch;
const workflowIds: string[] = [];
const sshRule = { id: 'rule-uuid-ssh', name: 'Potential SSH Brute Force' };
const dnsRule = { id: 'rule-uuid-dns', name: 'DNS Tunneling' };

beforeAll(async () => {
  env = await startTemporalTestEnv();
  kibana = await new FakeKibana(kibanaKey).start();
  elastic = await new FakeElasticsearch(esKey).start();
});
afterAll(async () => {
  await elastic?.stop();
  await kibana?.stop();
  await env?.stop();
});

/** A run whose clusters' alerts Elasticsearch holds when `fromElastic` says so. */
async function setup(clusters: FixtureCluster[], fromElastic: (cluster: string) => boolean) {
  const config = testConfig(env, {
    KIBANA_URL: kibana.url,
    KIBANA_API_KEY: kibanaKey,
    ELASTICSEARCH_URL: elastic.url,
    ELASTICSEARCH_API_KEY: esKey,
  });
  const deps = await createActivityDeps(config, logs.logger);
  const run = `run-${workflowIds.length}-${Date.now()}`;
  const enrichAlertInputKey = await writeTicketInput(deps.store, run, clusters);
  for (const c of clusters.filter((x) => fromElastic(x.id))) {
    for (let n = 0; n < c.alerts; n++) {
      elastic.addAlert(`${c.id}-alert-${n}`, n % 2 ? dnsRule : sshRule);
    }
  }
  const runOnce = async () => {
    const handle = await env.client.workflow.start<typeof casesWorkflow>('casesWorkflow', {
      workflowId: `${run}/cases-${workflowIds.length}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey }],
    });
    workflowIds.push(handle.workflowId);
    return withWorker(env, deps, () => handle.result());
  };
  return { deps, run, runOnce };
}

const caseOf = (run: string, cluster: string) =>
  [...kibana.cases.values()].find((c) =>
    c.title.startsWith(`Attack campaign ${cluster} of ${run}:`),
  )!;
const linkedIds = (run: string, cluster: string) =>
  caseOf(run, cluster).comments.flatMap((c) => c.alertId);

describe('case alerts linked from Elasticsearch', () => {
  it('links Elastic alerts once, per rule, and leaves other alerts alone', async () => {
    const clusters = [
      { id: 'c0', alerts: 5, tactics: ['TA0006'] },
      { id: 'c1', alerts: 3, tactics: ['TA0011'] },
    ];
    const { run, runOnce, deps } = await setup(clusters, (id) => id === 'c0');
    expect(await runOnce()).toMatchObject({
      created: 2,
      alertsLinked: { linked: 5, alreadyLinked: 0, notInElastic: 3, overLimit: 0 },
    });
    const comments = caseOf(run, 'c0').comments;
    expect(comments.map((c) => c.rule)).toEqual([sshRule, dnsRule]);
    expect(comments[0]).toMatchObject({
      type: 'alert',
      owner: 'securitySolution',
      alertId: ['c0-alert-0', 'c0-alert-2', 'c0-alert-4'],
      index: Array(3).fill('.internal.alerts-security.alerts-default-000001'),
    });
    expect(caseOf(run, 'c1').comments).toEqual([]);
    expect(elastic.callsTo('POST', /^\/\.alerts-security\.alerts-\*\/_search$/)).not.toEqual([]);

    // A rerun updates both cases and attaches nothing again.
    expect(await runOnce()).toMatchObject({
      created: 0,
      updated: 2,
      alertsLinked: { linked: 0, alreadyLinked: 5, notInElastic: 3 },
    });
    expect(linkedIds(run, 'c0').sort()).toEqual(idsOf('c0', 5));
    await deps.elastic?.close();
  });

  it('attaches nothing twice when Kibana stored a comment but its answer was lost', async () => {
    const { run, runOnce, deps } = await setup(
      [{ id: 'c0', alerts: 4, tactics: ['TA0006'] }],
      () => true,
    );
    kibana.dropNextCommentAnswer = true;
    // The first attempt stored the ssh rule's comment; the retry attaches only the dns rule's.
    expect(await runOnce()).toMatchObject({
      created: 1,
      alertsLinked: { linked: 2, alreadyLinked: 2, notInElastic: 0 },
    });
    expect(linkedIds(run, 'c0').sort()).toEqual(idsOf('c0', 4));
    const posts = kibana.callsTo('POST', /\/comments$/).filter((c) => c.path.includes(caseId(run)));
    expect(posts).toHaveLength(2);
    await deps.elastic?.close();
  });

  it('says linking is off without Elasticsearch', async () => {
    const config = testConfig(env, { KIBANA_URL: kibana.url, KIBANA_API_KEY: kibanaKey });
    const deps = await createActivityDeps(config, logs.logger);
    const run = `run-off-${Date.now()}`;
    const enrichAlertInputKey = await writeTicketInput(deps.store, run, [
      { id: 'c0', alerts: 2, tactics: ['TA0006'] },
    ]);
    const handle = await env.client.workflow.start<typeof casesWorkflow>('casesWorkflow', {
      workflowId: `${run}/cases`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey }],
    });
    workflowIds.push(handle.workflowId);
    const result = await withWorker(env, deps, () => handle.result());
    expect(result).toMatchObject({ created: 1, alertsLinked: 'off' });
  });

  it('leaves neither API key in workflow histories or logs', async () => {
    for (const id of workflowIds) {
      const history = await historyText(env.client, id);
      expect(history).toContain('linkCaseAlerts');
      expect(history).not.toContain(esKey);
      expect(history).not.toContain(kibanaKey);
    }
    const logText = logs.lines.join('');
    expect(logText).toContain('case alerts linked');
    expect(logText).not.toContain(esKey);
    expect(logText).not.toContain(kibanaKey);
  });
});

const idsOf = (cluster: string, count: number) =>
  Array.from({ length: count }, (_, n) => `${cluster}-alert-${n}`).sort();
const caseId = (run: string) => caseOf(run, 'c0').id;
