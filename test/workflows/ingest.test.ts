import { Context } from '@temporalio/activity';
import {
  WorkflowFailedError,
  type WorkflowHandleWithFirstExecutionRunId,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { runKeys } from '../../core/keys.js';
import type { ClusterFile, EventFile, FlowFile } from '../../core/output-formats.js';
import { getJson, putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { progressQuery } from '../../workflows/index.js';
import { twoCampaigns } from '../helpers/alerts.js';
import { useTemporalTestEnv, testConfig, testDeps, withWorker } from '../helpers/temporal.js';
import { saveHistory } from '../helpers/histories.js';

const env = useTemporalTestEnv();

async function runFile(
  overrides: Record<string, string>,
  body: unknown,
  key = 'input/alerts.json',
) {
  const config = testConfig(env, overrides);
  const deps = await testDeps(config);
  await putJson(deps.store, key, body);
  return { config, deps, started: await startIngest(env.client, deps.store, config, key) };
}

describe('IngestWorkflow on a real Temporal dev server', () => {
  it('runs every step and writes consistent outputs', async () => {
    const { deps, started } = await runFile({}, twoCampaigns);
    const [result, progress] = await withWorker(env, deps, async () => {
      const finished = await started.handle.result();
      return [finished, await started.handle.query(progressQuery)] as const;
    });
    expect(result).toMatchObject({ alerts: 40, rejected: 0, continuedAsNew: 0 });
    expect(result.clusters).toBe(2);

    const keys = runKeys(result.run);
    const events = await getJson<EventFile>(deps.store, keys.eventOut);
    const clusters = await getJson<ClusterFile>(deps.store, keys.clusterOut);
    const flows = await getJson<FlowFile>(deps.store, keys.flowOut);
    expect(events.events.map((e) => e.id).sort()).toEqual(
      twoCampaigns.input.map((a) => a.id as string).sort(),
    );
    const byGroup = new Map<string, Set<string>>();
    for (const e of events.events) {
      const group = e.id.split('-')[0]!;
      byGroup.set(group, (byGroup.get(group) ?? new Set()).add(e.cluster));
    }
    expect([...byGroup.values()].map((s) => s.size)).toEqual([1, 1]);
    expect(clusters.clusters.reduce((n, c) => n + c.size, 0)).toBe(40);
    expect(flows.flows.flatMap((f) => f.cluster_ids).sort()).toEqual(
      clusters.clusters.map((c) => c.id).sort(),
    );

    expect(progress).toMatchObject({ stage: 'done', alerts: 40, clusters: 2 });
    const description = await started.handle.describe();
    expect(description.typedSearchAttributes.getAll().map((p) => p.key.name)).toEqual(
      expect.arrayContaining(['InputKey', 'RunName', 'PipelineStage', 'AlertCount']),
    );
    saveHistory('ingest-two-campaigns', started.workflowId, await started.handle.fetchHistory());
    const child = env.client.workflow.getHandle(`${started.workflowId}/flow`);
    saveHistory('flow-two-campaigns', child.workflowId, await child.fetchHistory());
  });

  it('carries the clustering loop across continue-as-new with the same clusters', async () => {
    const single = await runFile({}, twoCampaigns, 'input/single.json');
    const expected = await withWorker(env, single.deps, () => single.started.handle.result());

    const { deps, started } = await runFile(
      { CLUSTER_BATCH_SIZE: '5', BATCHES_BEFORE_CONTINUE_AS_NEW: '2' },
      twoCampaigns,
      'input/batched.json',
    );
    const result = await withWorker(env, deps, () => started.handle.result());
    expect(result.clusterBatches).toBe(8);
    expect(result.continuedAsNew).toBe(4);
    const firstRunId = (started.handle as WorkflowHandleWithFirstExecutionRunId)
      .firstExecutionRunId;
    const description = await started.handle.describe();
    expect(description.runId).not.toBe(firstRunId);

    const grouping = async (store: typeof deps.store, run: string) => {
      const events = await getJson<EventFile>(store, runKeys(run).eventOut);
      const members = new Map<string, string[]>();
      for (const e of events.events)
        members.set(e.cluster, [...(members.get(e.cluster) ?? []), e.id]);
      return [...members.values()].map((ids) => ids.sort().join(',')).sort();
    };
    expect(await grouping(deps.store, result.run)).toEqual(
      await grouping(single.deps.store, expected.run),
    );
    const first = env.client.workflow.getHandle(started.workflowId, firstRunId);
    saveHistory('ingest-continue-as-new', started.workflowId, await first.fetchHistory());
  });

  it('retries an activity that fails twice and then succeeds', async () => {
    const { deps, started } = await runFile({}, twoCampaigns, 'input/flaky.json');
    const real = createActivities(deps);
    const attempts: number[] = [];
    const activities = {
      ...real,
      processEnriched: async (args: Parameters<typeof real.processEnriched>[0]) => {
        const { attempt } = Context.current().info;
        attempts.push(attempt);
        if (attempt < 3)
          throw ApplicationFailure.retryable(`object store hiccup ${attempt}`, 'Transient');
        return real.processEnriched(args);
      },
    };
    const result = await withWorker(env, deps, () => started.handle.result(), activities);
    expect(attempts).toEqual([1, 2, 3]);
    expect(result).toMatchObject({ alerts: 40, clusters: 2 });
  });

  it('ends a run on a truncated file with an error naming the file, without retrying', async () => {
    const config = testConfig(env);
    const deps = await testDeps(config);
    await deps.store.put('input/truncated.json', '{"input": [{"id": "a1", "time": 17');
    const started = await startIngest(env.client, deps.store, config, 'input/truncated.json');
    const failure = await withWorker(env, deps, () => started.handle.result().catch((e) => e));
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause?.cause as ApplicationFailure;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect(cause.type).toBe('InvalidInputFile');
    expect(cause.message).toMatch(/input\/truncated\.json: not valid JSON/);
    const history = await started.handle.fetchHistory();
    const retries = history.events?.filter(
      (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 0) > 1,
    );
    expect(retries).toEqual([]);
  });

  it('keeps records with wrong types or missing fields in a rejection list', async () => {
    const body = {
      input: [
        ...twoCampaigns.input.slice(0, 5),
        { id: 'no-time', src: 'h', dst: 'd', name: 'x' },
        { id: 'bad-time', time: 'yesterday', src: 'h', dst: 'd', name: 'x' },
        {
          id: 'bad-port',
          time: 1,
          src: 'h',
          dst: 'd',
          name: 'x',
          other_attributes_dict: { port: 70000 },
        },
        'not an object',
      ],
    };
    const { deps, started } = await runFile({}, body, 'input/mixed.json');
    const result = await withWorker(env, deps, () => started.handle.result());
    expect(result).toMatchObject({ alerts: 5, rejected: 4 });
    const rejected = await getJson<{ id?: string; field: string; reason: string }[]>(
      deps.store,
      result.rejectedKey,
    );
    expect(rejected.map((r) => [r.id, r.field])).toEqual([
      ['no-time', 'time'],
      ['bad-time', 'time'],
      ['bad-port', 'other_attributes_dict.port'],
      [undefined, '(record)'],
    ]);
  });
});
