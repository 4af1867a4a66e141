import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { lookupKey, type TicketLookup } from '../../activities/tickets/lookup.js';
import { getJson, type ObjectStore } from '../../core/store/index.js';
import type { casesWorkflow } from '../../workflows/index.js';
import { createActivityDeps } from '../../workers/activity-deps.js';
import {
  startTemporalTestEnv,
  testConfig,
  withWorker,
  type TemporalTestEnv,
} from '../helpers/temporal.js';
import { captureLogs } from './captured-log.js';
import { FakeKibana } from './fake-kibana.js';
import { historyText } from './history-text.js';
import { failFirstPut, writeTicketInput, type FixtureCluster } from './ticket-fixture.js';

const apiKey = 'a2liYW5hLWtleS1pZDpzZWNyZXQtZDQxZDhjZDk4ZjAwYjIwNA==';
const logs = captureLogs();
let env: TemporalTestEnv;
let kibana: FakeKibana;
const workflowIds: string[] = [];

beforeAll(async () => {
  env = await startTemporalTestEnv();
  kibana = await new FakeKibana(apiKey).start();
});
afterAll(async () => {
  await kibana?.stop();
  await env?.stop();
});

async function setup(clusters: FixtureCluster[]) {
  const config = testConfig(env, { KIBANA_URL: kibana.url, KIBANA_API_KEY: apiKey });
  const deps = await createActivityDeps(config, logs.logger);
  const run = `run-${workflowIds.length}-${Date.now()}`;
  const enrichAlertInputKey = await writeTicketInput(deps.store, run, clusters);
  const start = () =>
    env.client.workflow.start<typeof casesWorkflow>('casesWorkflow', {
      workflowId: `${run}/cases-${workflowIds.length}`,
      taskQueue: config.temporal.taskQueue,
      args: [{ run, enrichAlertInputKey }],
    });
  const runOnce = async (activities?: Parameters<typeof withWorker>[3]) => {
    const handle = await start();
    workflowIds.push(handle.workflowId);
    return withWorker(env, deps, () => handle.result(), activities);
  };
  return { deps, run, runOnce, start };
}

const casesOf = (run: string) => [...kibana.cases.values()].filter((c) => c.title.includes(run));
const lookup = (store: ObjectStore, run: string, cluster: string) =>
  getJson<TicketLookup>(store, lookupKey('cases', run, cluster));
const oneCluster: FixtureCluster[] = [{ id: 'c0', alerts: 5, tactics: ['TA0006', 'TA0007'] }];

describe('case child workflow against the Kibana Cases API', () => {
  it('creates a case with the alerts attached, updates it while in progress', async () => {
    const { deps, run, runOnce } = await setup(oneCluster);
    expect(await runOnce()).toMatchObject({ created: 1, updated: 0 });
    const [made] = casesOf(run);
    expect(made).toMatchObject({ owner: 'securitySolution', status: 'open' });
    expect(made!.description).toContain('Tactics: TA0006, TA0007');
    expect(made!.files.map((f) => f.filename)).toEqual(['alerts-c0.json']);
    expect((await lookup(deps.store, run, 'c0')).ticket).toBe(made!.id);

    kibana.setStatus(made!.id, 'in-progress');
    made!.description = 'edited by hand';
    expect(await runOnce()).toMatchObject({ created: 0, updated: 1 });
    expect(casesOf(run)).toHaveLength(1);
    expect(made!.description).toContain(`Attack campaign c0 of run ${run}`);
  });

  it('opens a new case when the earlier one is closed', async () => {
    const { deps, run, runOnce } = await setup(oneCluster);
    await runOnce();
    const old = (await lookup(deps.store, run, 'c0')).ticket;
    kibana.setStatus(old, 'closed');
    expect(await runOnce()).toMatchObject({ replaced: 1 });
    expect(casesOf(run)).toHaveLength(2);
    expect(await lookup(deps.store, run, 'c0')).toMatchObject({ generation: 1, replaced: [old] });
  });

  it('attaches a description longer than Kibana takes', async () => {
    const { run, runOnce } = await setup([
      { id: 'c0', alerts: 400, tactics: ['TA0006'], idPadding: 80 },
    ]);
    await runOnce();
    const [made] = casesOf(run);
    expect(made!.description.length).toBeLessThanOrEqual(30_000);
    expect(made!.files.map((f) => f.filename)).toEqual(['alerts-c0.json', 'description-c0.txt']);
  });

  it('honours Retry-After on a 429 and fails a 400 without retrying', async () => {
    const limited = await setup(oneCluster);
    kibana.inject({
      method: 'POST',
      path: /^\/api\/cases$/,
      status: 429,
      headers: { 'Retry-After': '1' },
      body: { statusCode: 429, error: 'Too Many Requests', message: 'Too many requests' },
    });
    expect(await limited.runOnce()).toMatchObject({ created: 1 });
    const creates = kibana.callsTo('POST', /^\/api\/cases$/).slice(-2);
    expect(creates.map((c) => c.status)).toEqual([429, 200]);
    expect(creates[1]!.at - creates[0]!.at).toBeGreaterThanOrEqual(900);

    const rejected = await setup(oneCluster);
    kibana.inject({
      method: 'POST',
      path: /^\/api\/cases$/,
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'Invalid value "x" for "severity"' },
    });
    const handle = await rejected.start();
    workflowIds.push(handle.workflowId);
    const failure = await withWorker(env, rejected.deps, () =>
      handle.result().catch((e: unknown) => e),
    );
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as ApplicationFailure;
    expect(cause.type).toBe('TicketServiceRejected');
    expect(cause.message).toBe('Kibana create case: 400 Invalid value "x" for "severity"');
  });

  it('keeps one case when the worker dies between the create call and the lookup', async () => {
    const { deps, run, runOnce } = await setup(oneCluster);
    const failing = { ...deps, store: failFirstPut(deps.store, 'scratch/cases/') };
    const activities = { ...createActivities(deps), syncCase: createActivities(failing).syncCase };
    expect(await runOnce(activities)).toMatchObject({ created: 1, adopted: 1 });
    expect(await runOnce()).toMatchObject({ created: 0, updated: 1 });
    expect(casesOf(run)).toHaveLength(1);
  });

  it('leaves no API key in workflow histories or logs', async () => {
    for (const id of workflowIds) {
      const history = await historyText(env.client, id);
      expect(history).toContain('enrich_alert_input.json');
      expect(history).not.toContain(apiKey);
    }
    const logText = logs.lines.join('');
    expect(logText).toContain('case created');
    expect(logText).not.toContain(apiKey);
  });
});
