import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  ResourceInUse,
  type DescribeTransformJobResponse,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { ApplicationFailure } from '@temporalio/common';
import type { SageMakerSettings } from '../core/config.js';
import { modelOutputKey } from '../core/keys.js';
import type { ObjectStore } from '../core/store/index.js';
import type { ModelJob, ModelRunContext, ModelRunner } from './runner.js';
import { capacityProblem, isMissingJob, isRejectedRequest } from './sagemaker-errors.js';
import { transformJobName } from './sagemaker-job-name.js';

/** Heartbeat details: which transform job of the step the activity was waiting for. */
export interface TransformProgress {
  jobName: string;
  attempt: number;
  transformJob: string;
  status?: string;
}

export interface SageMakerRunnerOptions {
  client: SageMakerClient;
  /** The S3 store: transform jobs read and write its bucket. */
  store: ObjectStore;
  settings: SageMakerSettings;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

type AttemptOutcome = { kind: 'completed' } | { kind: 'no-capacity'; reason: string };

/**
 * Runs each model step as one SageMaker batch-transform job over `<prefix>/input.json`. A retried
 * activity adopts the job its earlier attempt started; a job that finds no capacity is followed
 * by a new one on the next instance type, after a backoff.
 */
export class SageMakerModelRunner implements ModelRunner {
  readonly backend = 'sagemaker';

  constructor(private readonly options: SageMakerRunnerOptions) {
    if (!options.store.location.startsWith('s3://')) {
      throw new Error(
        `the SageMaker model backend needs the S3 object store, not ${options.store.location}`,
      );
    }
  }

  async run(job: ModelJob, context: ModelRunContext = {}): Promise<string> {
    const { settings } = this.options;
    const modelName = settings.modelNames[job.model];
    const outputKey = modelOutputKey(job.outputPrefix, job.inputKey);
    let attempt = resumedAttempt(context.resumeFrom, job.jobName, settings.capacityAttempts);
    const problems: string[] = [];
    for (;;) {
      const transformJob = transformJobName(job.jobName, modelName, attempt);
      const instanceType =
        settings.instanceTypes[Math.min(attempt, settings.instanceTypes.length - 1)]!;
      const progress: TransformProgress = { jobName: job.jobName, attempt, transformJob };
      context.heartbeat?.(progress);
      const outcome = await this.runAttempt(job, progress, instanceType, context);
      if (outcome.kind === 'completed') break;
      problems.push(`${transformJob} on ${instanceType}: ${outcome.reason}`);
      if (attempt + 1 >= settings.capacityAttempts) {
        throw ApplicationFailure.create({
          type: 'ModelCapacityUnavailable',
          nonRetryable: true,
          message: `${job.model} model job ${job.jobName}: no SageMaker capacity after ${problems.length} job(s): ${problems.join('; ')}`,
          details: [{ jobName: job.jobName, problems }],
        });
      }
      const backoffMs = settings.capacityBackoffSeconds * 1000 * 2 ** attempt;
      this.options.log?.('no SageMaker capacity: starting the next job after a backoff', {
        job: job.jobName,
        transformJob,
        instanceType,
        reason: outcome.reason,
        backoffMs,
      });
      await pause(backoffMs, context.signal);
      attempt += 1;
    }
    if (!(await this.options.store.exists(outputKey))) {
      throw ApplicationFailure.create({
        type: 'InvalidModelOutput',
        nonRetryable: true,
        message: `${job.model} model job ${job.jobName}: the transform job completed without writing ${this.options.store.describe(outputKey)}`,
      });
    }
    return outputKey;
  }

  /** Starts (or adopts) one transform job and waits for it to end. */
  private async runAttempt(
    job: ModelJob,
    progress: TransformProgress,
    instanceType: string,
    context: ModelRunContext,
  ): Promise<AttemptOutcome> {
    const { settings } = this.options;
    let described = await this.describe(progress.transformJob, context.signal);
    if (!described) {
      try {
        await this.create(job, progress.transformJob, instanceType, context.signal);
      } catch (err) {
        const noCapacity = capacityProblem(err);
        if (noCapacity) return { kind: 'no-capacity', reason: noCapacity };
        if (isRejectedRequest(err)) {
          throw ApplicationFailure.create({
            type: 'ModelJobRejected',
            nonRetryable: true,
            message: `${job.model} model job ${job.jobName}: SageMaker refused ${progress.transformJob}: ${(err as Error).message}`,
            cause: err as Error,
          });
        }
        // ResourceInUse: an earlier attempt of this activity created it; wait for that one.
        if (!(err instanceof ResourceInUse)) throw abortReason(context.signal) ?? err;
      }
    }
    for (;;) {
      described ??= await this.describe(progress.transformJob, context.signal);
      const status = described?.TransformJobStatus;
      const reason = described?.FailureReason ?? '(no reason given)';
      switch (status) {
        case 'Completed':
          return { kind: 'completed' };
        case 'Failed': {
          const noCapacity = capacityProblem(reason);
          if (noCapacity) return { kind: 'no-capacity', reason };
          throw ApplicationFailure.create({
            type: 'ModelJobFailed',
            nonRetryable: true,
            message: `${job.model} model job ${job.jobName}: transform job ${progress.transformJob} failed: ${reason}`,
            details: [{ transformJob: progress.transformJob, failureReason: reason }],
          });
        }
        case 'Stopped':
          throw ApplicationFailure.create({
            type: 'ModelJobStopped',
            nonRetryable: true,
            message: `${job.model} model job ${job.jobName}: transform job ${progress.transformJob} was stopped`,
          });
      }
      context.heartbeat?.({ ...progress, status: status ?? 'Unknown' });
      await pause(settings.pollSeconds * 1000, context.signal);
      described = undefined;
    }
  }

  private async describe(
    transformJob: string,
    signal?: AbortSignal,
  ): Promise<DescribeTransformJobResponse | undefined> {
    try {
      const command = new DescribeTransformJobCommand({ TransformJobName: transformJob });
      return await this.options.client.send(command, { abortSignal: signal });
    } catch (err) {
      if (isMissingJob(err)) return undefined;
      throw abortReason(signal) ?? err;
    }
  }

  private async create(
    job: ModelJob,
    transformJob: string,
    instanceType: string,
    signal?: AbortSignal,
  ): Promise<void> {
    const { store, settings } = this.options;
    const command = new CreateTransformJobCommand({
      TransformJobName: transformJob,
      ModelName: settings.modelNames[job.model],
      // One request per input object: the whole input is one JSON document.
      BatchStrategy: 'SingleRecord',
      MaxConcurrentTransforms: 1,
      MaxPayloadInMB: 100,
      TransformInput: {
        DataSource: {
          S3DataSource: { S3DataType: 'S3Prefix', S3Uri: store.describe(job.inputKey) },
        },
        ContentType: 'application/json',
        SplitType: 'None',
      },
      TransformOutput: {
        S3OutputPath: store.describe(job.outputPrefix),
        Accept: 'application/json',
        AssembleWith: 'None',
      },
      TransformResources: {
        InstanceType: instanceType as never,
        InstanceCount: settings.instanceCount,
      },
      Tags: [{ Key: 'pipeline-model', Value: job.model }],
    });
    await this.options.client.send(command, { abortSignal: signal });
  }
}

/** The attempt an earlier activity attempt had reached, from its heartbeat details. */
function resumedAttempt(details: unknown, jobName: string, attempts: number): number {
  const last = Array.isArray(details) ? (details as unknown[]).at(-1) : details;
  if (last === null || typeof last !== 'object') return 0;
  const { jobName: name, attempt } = last as Partial<TransformProgress>;
  if (name !== jobName || !Number.isInteger(attempt)) return 0;
  return Math.min(Math.max(attempt as number, 0), attempts - 1);
}

/** Waits, or throws the activity's cancellation as soon as it comes. */
async function pause(ms: number, signal?: AbortSignal): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (err) {
    throw abortReason(signal) ?? err;
  }
}

const abortReason = (signal?: AbortSignal): unknown =>
  signal?.aborted ? (signal.reason ?? new Error('cancelled')) : undefined;
