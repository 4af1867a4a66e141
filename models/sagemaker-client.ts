import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SageMakerSettings } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { ObjectStore } from '../core/store/index.js';
import { SageMakerModelRunner } from './sagemaker-runner.js';

/** The SageMaker backend as configured; credentials come from the SDK's default chain. */
export function createSageMakerRunner(
  settings: SageMakerSettings,
  store: ObjectStore,
  logger: Logger,
): SageMakerModelRunner {
  const client = new SageMakerClient({
    region: settings.region,
    endpoint: settings.endpoint,
    maxAttempts: 5,
  });
  logger.info(
    {
      region: settings.region,
      endpoint: settings.endpoint ?? 'AWS',
      models: settings.modelNames,
      instanceTypes: settings.instanceTypes,
    },
    'SageMaker model backend',
  );
  return new SageMakerModelRunner({
    client,
    store,
    settings,
    log: (message, fields) => logger.warn(fields, message),
  });
}
