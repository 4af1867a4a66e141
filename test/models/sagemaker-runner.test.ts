import { randomUUID } from 'node:crypto';
import { DescribeTransformJobCommand, ListTransformJobsCommand } from '@aws-sdk/client-sagemaker';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ActivityDeps } from '../../activities/deps.js';
import { makeRunModel } from '../../activities/run-model.js';
import { modelInputKey } from '../../core/keys.js';
import { LocalObjectStore, putJson } from '../../core/store/index.js';
import type { ModelJob, ModelRunner } from '../../models/runner.js';
import { transformJobName } from '../../models/sagemaker-job-name.js';
import { SageMakerModelRunner, type TransformProgress } from '../../models/sagemaker-runner.js';
import { CapturingLogger } from '../activities/pipeline-harness.js';
import { contractCases, tinyAttackCatalog } from './model-runner-contract.js';
import {
  modelNames,
  skipWithoutMoto,
  startFakeSageMaker,
  testSettings,
  type FakeSageMaker,
} from './sagemaker/moto-env.js';

if (skipWithoutMoto) console.warn('skipping SageMaker runner tests: TEST_S3_ENDPOINT is not set');

const attack = tinyAttackCatalog();
const flowCase = contractCases(attack).find((c) => c.model === 'flow')!;
const capacityReason =
  'CapacityError: Unable to provision requested ML compute capacity. Please retry using a different ML instance type.';
const quotaMessage =
  "The account-level service limit 'ml.m5.xlarge for transform job usage' is 0 Instances, with current utilization of 0 Instances and a request delta of 1 Instances. Please use AWS Service Quotas to request an increase for this quota.";

let fake: FakeSageMaker;
beforeAll(async () => {
  if (!skipWithoutMoto) fake = await startFakeSageMaker(attack);
});
afterAll(async () => {
  expect(fake?.container.errors ?? []).toEqual([]);
  await fake?.stop();
});

/** A flow step of a fresh run, its input already in the bucket. */
async function flowJob(): Promise<ModelJob & { names: (attempt?: number) => string }> {
  const run = `run-${randomUUID().slice(0, 8)}`;
  const prefix = `scratch/${run}/flow`;
  await putJson(fake.store, modelInputKey(prefix), flowCase.input);
  const jobName = `${run}-flow`;
  return {
    model: 'flow',
    inputKey: modelInputKey(prefix),
    outputPrefix: `${prefix}/out`,
    jobName,
    names: (attempt = 0) => transformJobName(jobName, modelNames.flow, attempt),
  };
}

/** One attempt of the real runModel activity, as a worker runs it. */
function attemptOf(runner: ModelRunner, heartbeatDetails?: unknown) {
  const env = new MockActivityEnvironment({ heartbeatDetails }, { logger: new CapturingLogger() });
  const heartbeats: TransformProgress[] = [];
  env.on('heartbeat', (d: TransformProgress) => heartbeats.push(d));
  const runModel = makeRunModel({ models: runner } as ActivityDeps);
  return { env, heartbeats, run: (job: ModelJob): Promise<string> => env.run(runModel, job) };
}

/**
 * An attempt that started the job and was cancelled while it slept between polls, as a worker
 * that dies would leave it. Its poll is slow so that no request is in flight at the end.
 */
async function cancelledWhileWaiting(job: ModelJob) {
  const attempt = attemptOf(fake.runner({ pollSeconds: 60 }));
  const running = attempt.run(job);
  await vi.waitFor(() => expect(attempt.heartbeats.at(-1)?.status).toBe('InProgress'));
  attempt.env.cancel();
  await expect(running).rejects.toBeInstanceOf(CancelledFailure);
  return attempt;
}

async function instanceTypeOf(transformJob: string): Promise<string | undefined> {
  const described = await fake.moto.send(
    new DescribeTransformJobCommand({ TransformJobName: transformJob }),
  );
  return described.TransformResources?.InstanceType;
}

async function jobsOnMoto(name: string): Promise<string[]> {
  const listed = await fake.moto.send(new ListTransformJobsCommand({ NameContains: name }));
  return (listed.TransformJobSummaries ?? []).map((s) => s.TransformJobName!);
}

describe.skipIf(skipWithoutMoto)('SageMakerModelRunner on moto', () => {
  it('adopts the job of an earlier attempt instead of starting a second one', async () => {
    const job = await flowJob();
    fake.container.held.add(job.names());
    const first = await cancelledWhileWaiting(job);

    fake.container.held.delete(job.names());
    const second = attemptOf(fake.runner(), first.heartbeats.at(-1));
    const outputKey = await second.run(job);
    expect(fake.proxy.createsOf(job.names())).toEqual([job.names()]);
    expect(await jobsOnMoto(job.names())).toEqual([job.names()]);
    expect(fake.container.ran.filter((n) => n === job.names())).toHaveLength(1);
    expect((await fake.store.get(outputKey)).toString()).toBe(JSON.stringify(flowCase.answer));
    expect(second.heartbeats[0]).toMatchObject({ jobName: job.jobName, attempt: 0 });
  });

  it('adopts the job when CreateTransformJob says ResourceInUse', async () => {
    const job = await flowJob();
    fake.container.held.add(job.names());
    await cancelledWhileWaiting(job);
    expect(fake.proxy.createsOf(job.names())).toHaveLength(1);

    // The retry has no heartbeat details and a describe that does not see the job yet.
    fake.proxy.missingOnce.add(job.names());
    fake.container.held.delete(job.names());
    const outputKey = await attemptOf(fake.runner()).run(job);
    expect(fake.proxy.createsOf(job.names())).toEqual([job.names(), job.names()]);
    expect(await jobsOnMoto(job.names())).toEqual([job.names()]);
    expect((await fake.store.get(outputKey)).toString()).toBe(JSON.stringify(flowCase.answer));
  });

  it('stops waiting as soon as the activity is cancelled', async () => {
    const job = await flowJob();
    fake.container.held.add(job.names());
    // The attempt sleeps for a 60-second poll: only an aborted sleep lets it end before that.
    const attempt = await cancelledWhileWaiting(job);
    expect(attempt.heartbeats.at(-1)).toMatchObject({ transformJob: job.names(), attempt: 0 });
    const describes = fake.proxy.describeCalls.filter((n) => n === job.names()).length;
    expect(describes).toBe(2); // before creating, then once while waiting
    fake.container.held.delete(job.names());
  });

  it('follows a capacity failure with a new job on the next instance type', async () => {
    const job = await flowJob();
    fake.proxy.failureReasons.set(job.names(0), capacityReason);
    const warnings: Record<string, unknown>[] = [];
    const runner = fake.runner({}, (_message, fields) => warnings.push(fields));
    const attempt = attemptOf(runner);
    const outputKey = await attempt.run(job);

    expect(fake.proxy.createsOf(job.names(0))).toEqual([job.names(0), job.names(1)]);
    expect(job.names(1)).toBe(`${job.names(0)}-r1`);
    expect(await instanceTypeOf(job.names(0))).toBe('ml.m5.xlarge');
    expect(await instanceTypeOf(job.names(1))).toBe('ml.c5.2xlarge');
    expect((await fake.store.get(outputKey)).toString()).toBe(JSON.stringify(flowCase.answer));
    expect(warnings).toEqual([
      expect.objectContaining({ transformJob: job.names(0), reason: capacityReason }),
    ]);
    expect(attempt.heartbeats.map((h) => h.attempt)).toContain(1);
  });

  it('treats ResourceLimitExceeded on create as no capacity and walks the fallback list', async () => {
    const job = await flowJob();
    fake.proxy.createErrors.set(job.names(0), {
      type: 'ResourceLimitExceeded',
      message: quotaMessage,
    });
    fake.proxy.failureReasons.set(job.names(1), capacityReason);
    const outputKey = await attemptOf(fake.runner()).run(job);

    expect(fake.proxy.createsOf(job.names(0))).toEqual([0, 1, 2].map((n) => job.names(n)));
    expect(await jobsOnMoto(job.names(0))).toEqual([job.names(1), job.names(2)]);
    expect(await instanceTypeOf(job.names(2))).toBe('ml.m5.4xlarge');
    expect((await fake.store.get(outputKey)).toString()).toBe(JSON.stringify(flowCase.answer));
  });

  it('resumes at the capacity attempt an earlier activity attempt had reached', async () => {
    const job = await flowJob();
    const details: TransformProgress = { jobName: job.jobName, attempt: 1, transformJob: '' };
    const outputKey = await attemptOf(fake.runner(), details).run(job);
    expect(fake.proxy.describeCalls).not.toContain(job.names(0));
    expect(fake.proxy.createsOf(job.names(0))).toEqual([job.names(1)]);
    expect(await instanceTypeOf(job.names(1))).toBe('ml.c5.2xlarge');
    expect((await fake.store.get(outputKey)).toString()).toBe(JSON.stringify(flowCase.answer));
  });

  it('gives up with a non-retryable failure once every capacity attempt is used', async () => {
    const job = await flowJob();
    fake.proxy.failureReasons.set(job.names(0), capacityReason);
    fake.proxy.createErrors.set(job.names(1), {
      type: 'ResourceLimitExceeded',
      message: quotaMessage,
    });
    const failure = await attemptOf(fake.runner({ capacityAttempts: 2 }))
      .run(job)
      .catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'ModelCapacityUnavailable', nonRetryable: true });
    expect((failure as Error).message).toContain(`${job.names(0)} on ml.m5.xlarge: CapacityError`);
    expect((failure as Error).message).toContain(
      `${job.names(1)} on ml.c5.2xlarge: ResourceLimitExceeded`,
    );
    expect(fake.proxy.createsOf(job.names(0))).toHaveLength(2);
  });

  it('surfaces the FailureReason of a failed job as a non-retryable ModelJobFailed', async () => {
    const job = await flowJob();
    const reason = 'AlgorithmError: the model container exited with code 137 (out of memory)';
    fake.proxy.failureReasons.set(job.names(), reason);
    const failure = await attemptOf(fake.runner())
      .run(job)
      .catch((err: unknown) => err);
    expect(failure).toMatchObject({ type: 'ModelJobFailed', nonRetryable: true });
    expect((failure as Error).message).toContain(reason);
    expect((failure as ApplicationFailure).details).toEqual([
      { transformJob: job.names(), failureReason: reason },
    ]);
    expect(fake.proxy.createsOf(job.names())).toEqual([job.names()]);
  });

  it('refuses a bad model name without retrying', async () => {
    const job = await flowJob();
    fake.proxy.createErrors.set(job.names(), {
      type: 'ValidationException',
      message: 'Could not find model "alert-flow-v1".',
    });
    await expect(attemptOf(fake.runner()).run(job)).rejects.toMatchObject({
      type: 'ModelJobRejected',
      nonRetryable: true,
    });
  });
});

describe('SageMakerModelRunner set-up', () => {
  it('needs the S3 object store', () => {
    const store = new LocalObjectStore('/tmp/not-s3');
    expect(
      () => new SageMakerModelRunner({ client: {} as never, store, settings: testSettings() }),
    ).toThrow(/needs the S3 object store/);
  });
});
