import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';

const sagemaker = {
  MODEL_BACKEND: 'sagemaker',
  STORE: 's3',
  S3_BUCKET: 'alerts-bucket',
  S3_REGION: 'eu-west-1',
  SAGEMAKER_TECHNIQUE_MODEL: 'technique-v3',
  SAGEMAKER_CLUSTER_MODEL: 'cluster-v3',
  SAGEMAKER_FLOW_MODEL: 'flow-v3',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('MODEL_BACKEND=sagemaker settings', () => {
  it('reads the models, the instance types in order and the waiting policy', () => {
    const config = loadConfig({
      ...sagemaker,
      SAGEMAKER_INSTANCE_TYPE: 'ml.c5.xlarge',
      SAGEMAKER_FALLBACK_INSTANCE_TYPES: 'ml.m5.2xlarge, ml.c5.4xlarge',
      SAGEMAKER_INSTANCE_COUNT: '2',
      SAGEMAKER_POLL_SECONDS: '15',
      SAGEMAKER_CAPACITY_ATTEMPTS: '5',
      SAGEMAKER_CAPACITY_BACKOFF_SECONDS: '120',
      SAGEMAKER_ENDPOINT: 'http://127.0.0.1:5000',
    });
    expect(config.models).toEqual({
      backend: 'sagemaker',
      sagemaker: {
        modelNames: { technique: 'technique-v3', cluster: 'cluster-v3', flow: 'flow-v3' },
        instanceTypes: ['ml.c5.xlarge', 'ml.m5.2xlarge', 'ml.c5.4xlarge'],
        instanceCount: 2,
        pollSeconds: 15,
        capacityAttempts: 5,
        capacityBackoffSeconds: 120,
        region: 'eu-west-1',
        endpoint: 'http://127.0.0.1:5000',
      },
    });
  });

  it('has defaults for everything but the model names', () => {
    const config = loadConfig({ ...sagemaker, SAGEMAKER_REGION: 'us-west-2' });
    expect(config.models).toMatchObject({
      sagemaker: {
        instanceTypes: ['ml.m5.xlarge'],
        instanceCount: 1,
        pollSeconds: 30,
        capacityAttempts: 4,
        capacityBackoffSeconds: 60,
        region: 'us-west-2',
      },
    });
  });

  it('needs the S3 store and a model name for each model', () => {
    const problems = problemsOf({ MODEL_BACKEND: 'sagemaker', SAGEMAKER_FLOW_MODEL: 'flow-v3' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^MODEL_BACKEND: .*needs STORE=s3/),
        expect.stringMatching(/^SAGEMAKER_TECHNIQUE_MODEL: required when MODEL_BACKEND=sagemaker/),
        expect.stringMatching(/^SAGEMAKER_CLUSTER_MODEL: required when MODEL_BACKEND=sagemaker/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('SAGEMAKER_FLOW_MODEL');
  });

  it('refuses instance types that are not SageMaker ones and a poll slower than 5 minutes', () => {
    const problems = problemsOf({
      ...sagemaker,
      SAGEMAKER_FALLBACK_INSTANCE_TYPES: 'ml.m5.xlarge,m5.large',
      SAGEMAKER_POLL_SECONDS: '600',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^SAGEMAKER_FALLBACK_INSTANCE_TYPES\.1: expected e\.g\. ml\.m5\.xlarge/,
      ),
      expect.stringMatching(/^SAGEMAKER_POLL_SECONDS: /),
    ]);
  });

  it('leaves the local backend as the default', () => {
    expect(loadConfig({}).models).toEqual({ backend: 'local' });
  });
});
