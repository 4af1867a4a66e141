import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/config.js';
import { InputKeyAttribute } from '../../core/search-attributes.js';
import { LocalObjectStore, S3ObjectStore } from '../../core/store/index.js';
import { contextFromEnvironment } from '../../starters/lambda.js';
import { twoCampaigns } from '../helpers/alerts.js';
import { useTemporalTestEnv } from '../helpers/temporal.js';
import { s3Notification, s3Record, sqsBatch, sqsMessage } from './s3-events.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const s3Endpoint = process.env.TEST_S3_ENDPOINT;
const bundle = path.join(root, 'dist/lambda/index.mjs');

const env = useTemporalTestEnv();

/** Finds the one run whose InputKey is `key` by listing (visibility lags the start a little). */
async function runsFor(key: string, taskQueue: string): Promise<string[]> {
  const query = `InputKey = ${JSON.stringify(key)} AND TaskQueue = ${JSON.stringify(taskQueue)}`;
  for (let attempt = 0; ; attempt++) {
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query })) ids.push(wf.workflowId);
    if (ids.length > 0 || attempt === 40) return ids;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('the Lambda entry point', () => {
  it('refuses to start without TEMPORAL_ADDRESS', async () => {
    await expect(contextFromEnvironment({ STORE: 'local' })).rejects.toThrow(ConfigError);
  });

  it('works as the deployable bundle, configured by its environment only', async () => {
    await run(process.execPath, [path.join(root, 'scripts/build-lambda.mjs')], { cwd: root });
    const taskQueue = `bundle-${randomUUID().slice(0, 8)}`;
    const dataDir = path.join(env.dataDir, taskQueue);
    const key = 'input/bundled run ü.json';
    await new LocalObjectStore(path.join(dataDir, 'store')).put(key, JSON.stringify(twoCampaigns));
    const event = sqsBatch(
      sqsMessage(s3Notification(s3Record('b', 'input/bundled+run+%C3%BC.json'))),
    );
    // Two invocations in one process: a warm container reusing its client, and a redelivery.
    const script =
      `const { handler } = await import(${JSON.stringify(bundle)});` +
      `const event = ${JSON.stringify(event)};` +
      'for (let i = 0; i < 2; i++) console.log(JSON.stringify(await handler(event)));';
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: env.dataDir,
      env: {
        PATH: process.env.PATH,
        TEMPORAL_ADDRESS: env.server.address,
        TASK_QUEUE: taskQueue,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
    });
    expect(stdout.trim().split('\n')).toEqual(Array(2).fill('{"batchItemFailures":[]}'));
    const logs = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.map((l) => l.msg)).toEqual([
      'starter Lambda connected',
      'run started for a new object',
      'object already has a run; nothing started',
    ]);
    const ids = await runsFor(key, taskQueue);
    expect(ids).toEqual([logs[1]?.workflowId]);
  });

  it.skipIf(!s3Endpoint && !process.env.CI)(
    'starts runs for objects in S3_BUCKET only',
    async () => {
      if (!s3Endpoint)
        throw new Error('TEST_S3_ENDPOINT is not set: the S3 starter cannot be tested');
      const bucket = `starter-${randomUUID().slice(0, 8)}`;
      const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
      const admin = new S3Client({
        endpoint: s3Endpoint,
        region: 'us-east-1',
        credentials,
        forcePathStyle: true,
      });
      await admin.send(new CreateBucketCommand({ Bucket: bucket }));
      admin.destroy();
      const store = new S3ObjectStore({
        bucket,
        region: 'us-east-1',
        endpoint: s3Endpoint,
        forcePathStyle: true,
        credentials,
      });
      const key = 'splunk_input/input/export 2025-03-04 été.json';
      await store.put(key, JSON.stringify([{ _time: '1741083330', src: 'a', dest: 'b' }]));
      store.client.destroy();

      // The starter takes S3 credentials from the SDK's default chain, as in Lambda.
      process.env.AWS_ACCESS_KEY_ID ??= credentials.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY ??= credentials.secretAccessKey;
      const taskQueue = `s3-${randomUUID().slice(0, 8)}`;
      const ctx = await contextFromEnvironment({
        TEMPORAL_ADDRESS: env.server.address,
        TASK_QUEUE: taskQueue,
        STORE: 's3',
        S3_BUCKET: bucket,
        S3_ENDPOINT: s3Endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        LOG_LEVEL: 'warn',
      });
      const { processInvocation } = await import('../../starters/lambda-handler.js');
      const encoded = 'splunk_input/input/export+2025-03-04+%C3%A9t%C3%A9.json';
      const report = await processInvocation(
        s3Notification(s3Record(bucket, encoded), s3Record('someone-elses-bucket', encoded)),
        ctx,
      );
      expect(report.errors).toEqual([]);
      expect(report.outcomes.map((o) => o.status)).toEqual(['started', 'ignored']);
      const started = report.outcomes[0];
      const described = await env.client.workflow
        .getHandle(started?.status === 'started' ? started.workflowId : 'none')
        .describe();
      expect(described.typedSearchAttributes.get(InputKeyAttribute)).toBe(key);
      await ctx.client.connection.close();
    },
  );
});
