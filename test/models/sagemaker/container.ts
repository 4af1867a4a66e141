import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  DescribeTransformJobCommand,
  ListTransformJobsCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { AttackCatalog } from '../../../core/attack.js';
import { LocalObjectStore, type ObjectStore } from '../../../core/store/index.js';
import { LocalModelRunner, type ModelName } from '../../../models/runner.js';
import type { ContainerState } from './proxy.js';

/**
 * Plays the model container that moto does not run. It watches moto's transform jobs, and for
 * each job that reads this test's bucket it does what the serving container would: reads every
 * object under the job's input prefix, runs the local model code on it, and writes the answer
 * next to `S3OutputPath` as `<name>.out`. A model error becomes the job's FailureReason.
 */
export class TransformContainer {
  /** Jobs the container leaves running until released. */
  readonly held = new Set<string>();
  /** Jobs this container ran, in order. */
  readonly ran: string[] = [];
  /** Problems talking to moto, which a test should see rather than a job that never ends. */
  readonly errors: unknown[] = [];
  private readonly states = new Map<string, ContainerState>();
  private readonly seen = new Set<string>();
  private readonly models: Map<string, ModelName>;
  private timer: NodeJS.Timeout | undefined;
  private readonly since = new Date(Date.now() - 1000);
  private polling: Promise<void> = Promise.resolve();

  constructor(
    private readonly sagemaker: SageMakerClient,
    private readonly bucketStore: ObjectStore,
    private readonly attack: AttackCatalog,
    modelNames: Record<ModelName, string>,
    /** Jobs a test fails in the proxy: a real container would not write their output. */
    private readonly skip: (jobName: string) => boolean = () => false,
  ) {
    this.models = new Map(
      Object.entries(modelNames).map(([model, name]) => [name, model as ModelName]),
    );
  }

  start(intervalMs = 25): void {
    this.timer = setInterval(() => {
      this.polling = this.polling
        .then(() => this.poll())
        .catch((err: unknown) => void this.errors.push(err));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
  }

  state(jobName: string): ContainerState {
    return this.states.get(jobName) ?? { status: 'InProgress' };
  }

  private async poll(): Promise<void> {
    // Only jobs of this test file: moto keeps every earlier file's jobs too.
    const summaries = [];
    let token: string | undefined;
    do {
      const page = await this.sagemaker.send(
        new ListTransformJobsCommand({ CreationTimeAfter: this.since, NextToken: token }),
      );
      summaries.push(...(page.TransformJobSummaries ?? []));
      token = page.NextToken;
    } while (token);
    for (const summary of summaries) {
      const name = summary.TransformJobName!;
      if (this.seen.has(name) || this.held.has(name) || this.skip(name)) continue;
      const job = await this.sagemaker.send(
        new DescribeTransformJobCommand({ TransformJobName: name }),
      );
      const input = job.TransformInput?.DataSource?.S3DataSource?.S3Uri ?? '';
      const output = job.TransformOutput?.S3OutputPath ?? '';
      const bucket = `${this.bucketStore.location}/`;
      this.seen.add(name);
      if (!input.startsWith(bucket)) continue; // another test file's job
      this.ran.push(name);
      this.states.set(name, await this.transform(job.ModelName ?? '', input, output, bucket));
    }
  }

  private async transform(
    modelName: string,
    inputUri: string,
    outputUri: string,
    bucket: string,
  ): Promise<ContainerState> {
    const model = this.models.get(modelName);
    if (!model) return { status: 'Failed', reason: `ClientError: unknown model ${modelName}` };
    const prefix = inputUri.slice(bucket.length);
    const outputPrefix = outputUri.slice(bucket.length).replace(/\/$/, '');
    // S3Prefix semantics: every object whose key starts with the prefix, named relative to it.
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const scratch = await mkdtemp(path.join(tmpdir(), 'transform-container-'));
    try {
      const local = new LocalObjectStore(scratch);
      const runner = new LocalModelRunner(local, this.attack);
      for (const key of await this.bucketStore.list(prefix)) {
        const relative = key.slice(folder.length);
        await local.put(`in/${relative}`, await this.bucketStore.get(key));
        const answerKey = await runner.run({
          model,
          inputKey: `in/${relative}`,
          outputPrefix: 'out',
          jobName: 'container',
        });
        await this.bucketStore.put(`${outputPrefix}/${relative}.out`, await local.get(answerKey));
      }
      return { status: 'Completed' };
    } catch (err) {
      return { status: 'Failed', reason: `AlgorithmError: ${(err as Error).message}` };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
