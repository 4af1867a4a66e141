import { randomUUID } from 'node:crypto';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AttackCatalog } from '../../../core/attack.js';
import type { SageMakerSettings } from '../../../core/config.js';
import { S3ObjectStore } from '../../../core/store/index.js';
import {
  SageMakerModelRunner,
  type SageMakerRunnerOptions,
} from '../../../models/sagemaker-runner.js';
import { TransformContainer } from './container.js';
import { SageMakerProxy } from './proxy.js';

/**
 * moto, which scripts/test.sh starts and names in TEST_S3_ENDPOINT, serves S3 and SageMaker.
 * Without it the tests are skipped on a laptop and fail in CI.
 */
export const motoEndpoint = process.env.TEST_S3_ENDPOINT;
export const skipWithoutMoto = !motoEndpoint && !process.env.CI;

export const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
export const region = 'us-east-1';

export const modelNames = {
  technique: 'alert-technique-v1',
  cluster: 'alert-cluster-v1',
  flow: 'alert-flow-v1',
};

export function testSettings(overrides: Partial<SageMakerSettings> = {}): SageMakerSettings {
  return {
    modelNames,
    instanceTypes: ['ml.m5.xlarge', 'ml.c5.2xlarge', 'ml.m5.4xlarge'],
    instanceCount: 1,
    pollSeconds: 0.02,
    capacityAttempts: 3,
    capacityBackoffSeconds: 0.01,
    region,
    ...overrides,
  };
}

/** A bucket of its own on moto, the proxy in front of moto's SageMaker, and the container. */
export interface FakeSageMaker {
  store: S3ObjectStore;
  bucket: string;
  /** Straight to moto, as an operator's console would see the jobs. */
  moto: SageMakerClient;
  proxy: SageMakerProxy;
  container: TransformContainer;
  /** A runner that talks to SageMaker through the proxy. */
  runner(
    settings?: Partial<SageMakerSettings>,
    log?: SageMakerRunnerOptions['log'],
  ): SageMakerModelRunner;
  stop(): Promise<void>;
}

export async function startFakeSageMaker(attack: AttackCatalog): Promise<FakeSageMaker> {
  if (!motoEndpoint) throw new Error('TEST_S3_ENDPOINT is not set: SageMaker cannot be tested');
  const bucket = `sagemaker-test-${randomUUID().slice(0, 8)}`;
  const store = new S3ObjectStore({
    bucket,
    region,
    endpoint: motoEndpoint,
    forcePathStyle: true,
    credentials,
  });
  await store.client.send(new CreateBucketCommand({ Bucket: bucket }));
  const moto = new SageMakerClient({ endpoint: motoEndpoint, region, credentials });
  // Each asks the other only once both exist: the container runs after start().
  const proxy = await SageMakerProxy.start(motoEndpoint, (name) => container.state(name));
  const container = new TransformContainer(moto, store, attack, modelNames, (name) =>
    proxy.failureReasons.has(name),
  );
  container.start();
  const clients: SageMakerClient[] = [moto];
  return {
    store,
    bucket,
    moto,
    proxy,
    container,
    runner(settings = {}, log) {
      const client = new SageMakerClient({ endpoint: proxy.endpoint, region, credentials });
      clients.push(client);
      return new SageMakerModelRunner({ client, store, settings: testSettings(settings), log });
    },
    async stop() {
      await container.stop();
      await proxy.stop();
      for (const client of clients) client.destroy();
      store.client.destroy();
    },
  };
}
