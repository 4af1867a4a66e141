import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LocalObjectStore } from '../../core/store/index.js';
import { LocalModelRunner } from '../../models/runner.js';
import { describeModelRunnerContract, tinyAttackCatalog } from './model-runner-contract.js';
import { skipWithoutMoto, startFakeSageMaker, type FakeSageMaker } from './sagemaker/moto-env.js';

if (skipWithoutMoto) {
  console.warn('skipping the SageMaker runner contract: TEST_S3_ENDPOINT is not set');
}

const attack = tinyAttackCatalog();
let dir: string;
let fake: FakeSageMaker | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'runner-contract-'));
  if (!skipWithoutMoto) fake = await startFakeSageMaker(attack);
});
afterAll(async () => {
  await fake?.stop();
  await rm(dir, { recursive: true, force: true });
});

describeModelRunnerContract('LocalModelRunner', async () => {
  const store = new LocalObjectStore(path.join(dir, 'store'));
  return { store, runner: new LocalModelRunner(store, attack) };
});

describeModelRunnerContract(
  'SageMakerModelRunner (moto)',
  async () => ({ store: fake!.store, runner: fake!.runner() }),
  { skip: skipWithoutMoto },
);
