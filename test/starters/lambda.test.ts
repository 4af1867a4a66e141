import { describe, expect, it } from 'vitest';
import { ingestWorkflowId, runName, splunkWorkflowId } from '../../core/keys.js';
import { InputKeyAttribute } from '../../core/search-attributes.js';
import { LocalObjectStore } from '../../core/store/index.js';
import type { StarterContext } from '../../starters/lambda-handler.js';
import { createS3Handler, processInvocation } from '../../starters/lambda-handler.js';
import { startRun } from '../../starters/start-run.js';
import { twoCampaigns } from '../helpers/alerts.js';
import {
  useTemporalTestEnv,
  testConfig,
  testDeps,
  testLogger,
  withWorker,
} from '../helpers/temporal.js';
import { runHash } from '../../core/run-hash.js';
import {
  eventBridgeEvent,
  s3Notification,
  s3Record,
  s3TestEvent,
  sqsBatch,
  sqsMessage,
} from './s3-events.js';

const env = useTemporalTestEnv();

const bucket = 'alert-pipeline-input';

/** A fresh store and task queue; no worker polls it, so started runs stay RUNNING. */
function makeContext(): StarterContext & { store: LocalObjectStore } {
  const config = testConfig(env);
  if (config.store.kind !== 'local') throw new Error('expected the local store');
  return {
    client: env.client,
    store: new LocalObjectStore(config.store.root),
    config,
    logger: testLogger,
  };
}

/** Writes a distinct small input and returns the workflow id every starter derives for it. */
async function putInput(ctx: StarterContext, key: string, label = key): Promise<string> {
  const body = JSON.stringify({ ...twoCampaigns, label });
  await ctx.store.put(key, body);
  const run = runName(key, runHash(key, Buffer.from(body)));
  return key.startsWith('splunk_input/') ? splunkWorkflowId(run) : ingestWorkflowId(run);
}

async function describeRun(workflowId: string) {
  return env.client.workflow.getHandle(workflowId).describe();
}

describe('the S3-triggered starter Lambda on a real Temporal server', () => {
  it('starts one run for a single notification with a URL-encoded unicode key', async () => {
    const ctx = makeContext();
    const id = await putInput(ctx, 'input/day one été.json');
    const event = s3Notification(s3Record(bucket, 'input/day+one+%C3%A9t%C3%A9.json'));
    const report = await processInvocation(event, ctx);
    expect(report.outcomes).toEqual([
      { status: 'started', bucket, key: 'input/day one été.json', workflowId: id },
    ]);
    const run = await describeRun(id);
    expect(run.status.name).toBe('RUNNING');
    expect(run.type).toBe('ingestWorkflow');
    expect(run.taskQueue).toBe(ctx.config.temporal.taskQueue);
    expect(run.typedSearchAttributes.get(InputKeyAttribute)).toBe('input/day one été.json');
  });

  it('starts a run per watched object in a batched notification, ignores the rest', async () => {
    const ctx = makeContext();
    const ingestId = await putInput(ctx, 'input/a+b.json');
    const splunkId = await putInput(ctx, 'splunk_input/input/réseau 日本.json');
    await ctx.store.put('scratch/notes.json', '{}');
    const event = s3Notification(
      s3Record(bucket, 'input/a%2Bb.json'),
      s3Record(bucket, 'splunk_input/input/r%C3%A9seau+%E6%97%A5%E6%9C%AC.json'),
      s3Record(bucket, 'scratch/notes.json'),
      s3Record(bucket, 'input/a%2Bb.json', { eventName: 'ObjectRemoved:Delete' }),
      s3Record(bucket, 'input/gone.json'),
    );
    const report = await processInvocation(event, ctx);
    expect(report.errors).toEqual([]);
    expect(report.outcomes.map((o) => [o.status, o.key])).toEqual([
      ['started', 'input/a+b.json'],
      ['started', 'splunk_input/input/réseau 日本.json'],
      ['ignored', 'scratch/notes.json'],
      ['ignored', 'input/a%2Bb.json'],
      ['ignored', 'input/gone.json'],
    ]);
    expect((await describeRun(ingestId)).type).toBe('ingestWorkflow');
    expect((await describeRun(splunkId)).type).toBe('splunkInputWorkflow');
  });

  it('answers an SQS batch with the failed message ids only; skips the test event', async () => {
    const ctx = makeContext();
    const id = await putInput(ctx, 'input/from sqs.json');
    const handler = createS3Handler(async () => ctx);
    const response = await handler(
      sqsBatch(
        sqsMessage(s3TestEvent(bucket), 'm-test'),
        sqsMessage(s3Notification(s3Record(bucket, 'input/from+sqs.json')), 'm-object'),
        sqsMessage('{"truncated": ', 'm-garbage'),
        sqsMessage({ unrelated: true }, 'm-unknown'),
      ),
    );
    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'm-garbage' }, { itemIdentifier: 'm-unknown' }],
    });
    expect((await describeRun(id)).status.name).toBe('RUNNING');
  });

  it('starts a run from an EventBridge Object Created event', async () => {
    const ctx = makeContext();
    const id = await putInput(ctx, 'input/bridge: 1+1.json');
    const report = await processInvocation(eventBridgeEvent(bucket, 'input/bridge: 1+1.json'), ctx);
    expect(report.outcomes).toMatchObject([{ status: 'started', workflowId: id }]);
    const deleted = eventBridgeEvent(bucket, 'input/bridge: 1+1.json', 'Object Deleted');
    expect((await processInvocation(deleted, ctx)).outcomes).toMatchObject([{ status: 'ignored' }]);
  });

  it('starts nothing new for a redelivered event, running or finished', async () => {
    const ctx = makeContext();
    const key = 'input/redelivered.json';
    const id = await putInput(ctx, key);
    const message = sqsMessage(s3Notification(s3Record(bucket, 'input/redelivered.json')), 'm-1');
    const handler = createS3Handler(async () => ctx);

    expect(await handler(sqsBatch(message))).toEqual({ batchItemFailures: [] });
    const first = await describeRun(id);
    const again = await processInvocation(sqsBatch(message), ctx);
    expect(again.outcomes).toEqual([{ status: 'existing', bucket, key, workflowId: id }]);
    expect((await describeRun(id)).runId).toBe(first.runId);

    await withWorker(env, await testDeps(ctx.config), () =>
      env.client.workflow.getHandle(id).result(),
    );
    const afterFinish = await processInvocation(sqsBatch(message), ctx);
    expect(afterFinish.outcomes).toMatchObject([{ status: 'existing', workflowId: id }]);
    const finished = await describeRun(id);
    expect([finished.runId, finished.status.name]).toEqual([first.runId, 'COMPLETED']);
  });

  it('attaches to the run another starter (CLI, watcher) began for the object', async () => {
    const ctx = makeContext();
    const id = await putInput(ctx, 'input/seen twice.json');
    const fromCli = await startRun(ctx.client, ctx.store, ctx.config, 'input/seen twice.json');
    expect([fromCli.started, fromCli.workflowId]).toEqual([true, id]);
    const report = await processInvocation(
      s3Notification(s3Record(bucket, 'input/seen+twice.json')),
      ctx,
    );
    expect(report.outcomes).toMatchObject([{ status: 'existing', workflowId: id }]);
  });

  it('throws for a direct notification it could not start, so Lambda retries it', async () => {
    const ctx = makeContext();
    const handler = createS3Handler(async () => ctx);
    await expect(handler({ detail: 'not an S3 event' })).rejects.toThrow(/not an S3 event/);
  });
});
