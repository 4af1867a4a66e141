import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import {
  ensureFreshDist,
  generatedInput,
  putInput,
  runOutputs,
  scenarioConfig,
  scenarioSettings,
  startFaultEnv,
  undisturbedRun,
  WorkerFleet,
  type FaultEnv,
} from './harness.js';
import { startS3FaultProxy, type S3FaultProxy } from './s3-fault-proxy.js';

/**
 * The pipeline on STORE=s3 through a proxy that makes the S3 API (the moto server that
 * scripts/test.sh starts, TEST_S3_ENDPOINT) fail and slow down. Skipped without moto on a laptop.
 */
const moto = process.env.TEST_S3_ENDPOINT;
const skip = !moto && !process.env.CI;
if (skip) console.warn('skipping S3 fault tests: TEST_S3_ENDPOINT is not set (start moto first)');

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
const input = generatedInput(3000, 14);
const seed = Number(process.env.FAULT_SEED ?? 7);

let env: FaultEnv;
let proxy: S3FaultProxy;
beforeAll(async () => {
  if (skip) return;
  if (!moto) throw new Error('TEST_S3_ENDPOINT is not set: the S3 faults cannot be tested');
  ensureFreshDist();
  env = await startFaultEnv();
  proxy = await startS3FaultProxy({
    target: moto,
    seed,
    internalErrorRate: 0.08,
    slowDownRate: 0.08,
    lostResponseRate: 0.05,
    delayRate: 0.1,
    maxDelayMs: 250,
  });
}, 600_000);
afterAll(async () => {
  await proxy?.close();
  await env?.stop();
});

describe.skipIf(skip)('an S3 API that answers 500 and SlowDown and is slow', () => {
  it('costs retries, and the run finishes with the output of an undisturbed run', async () => {
    const reference = await undisturbedRun(env, input);

    const bucket = `faults-${randomUUID().slice(0, 8)}`;
    const admin = new S3Client({ endpoint: moto, region, credentials, forcePathStyle: true });
    await admin.send(new CreateBucketCommand({ Bucket: bucket }));
    admin.destroy();
    const s3 = {
      STORE: 's3',
      S3_BUCKET: bucket,
      S3_REGION: region,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    };
    // The test itself reads and writes S3 directly; only the workers go through the faults.
    const store = new S3ObjectStore({
      bucket,
      region,
      endpoint: moto,
      forcePathStyle: true,
      credentials,
    });
    const settings = scenarioSettings(env, { ...s3, S3_ENDPOINT: proxy.endpoint });
    const config = scenarioConfig({ ...settings, S3_ENDPOINT: moto! });
    await putInput(store, 'input/flaky-s3.json', input);
    const fleet = new WorkerFleet(settings);
    try {
      fleet.start();
      const started = await startIngest(env.client, store, config, 'input/flaky-s3.json');
      const result = await started.handle.result();

      const { alerts, rejected, clusters } = reference.result;
      expect(result).toMatchObject({ alerts, rejected, clusters });
      expect(await runOutputs(store, result.run)).toEqual(
        await runOutputs(reference.store, reference.result.run),
      );
      const { internalErrors, slowDowns, lost } = proxy.counts;
      expect(internalErrors).toBeGreaterThan(0);
      expect(slowDowns).toBeGreaterThan(0);
      expect(lost).toBeGreaterThan(0);
      console.log('S3 faults injected:', proxy.counts);
    } finally {
      await fleet.stopAll();
      store.client.destroy();
    }
  }, 900_000);
});
