import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttackBundle } from '../../core/attack.js';
import { runKeys } from '../../core/keys.js';
import { putJson } from '../../core/store/index.js';
import { startIngest } from '../../starters/start-run.js';
import { twoCampaigns } from '../helpers/alerts.js';
import { testConfig, testDeps, useTemporalTestEnv, withWorker } from '../helpers/temporal.js';
import { tinyAttackBundle } from '../models/model-runner-contract.js';
import {
  credentials,
  modelNames,
  motoEndpoint,
  skipWithoutMoto,
  startFakeSageMaker,
  type FakeSageMaker,
} from '../models/sagemaker/moto-env.js';

if (skipWithoutMoto)
  console.warn('skipping the SageMaker ingest test: TEST_S3_ENDPOINT is not set');

const env = useTemporalTestEnv();
let fake: FakeSageMaker | undefined;
let bundleFile: string;

beforeAll(async () => {
  if (skipWithoutMoto) return;
  // The worker takes AWS credentials from the SDK's default chain, as it would on AWS.
  process.env.AWS_ACCESS_KEY_ID ??= credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY ??= credentials.secretAccessKey;
  bundleFile = path.join(env.dataDir, 'attack-bundle.json');
  writeFileSync(bundleFile, tinyAttackBundle());
  // The container ships the same ATT&CK catalogue as the workers.
  fake = await startFakeSageMaker(parseAttackBundle(tinyAttackBundle(), bundleFile));
});
afterAll(async () => fake?.stop());

/**
 * Ingests the same alerts under `key` and returns the three output files as text, with the run
 * name (which differs with the key, as does the workflow id) written as `<run>`.
 */
async function ingest(key: string, overrides: Record<string, string>) {
  const config = testConfig(env, { ATTACK_BUNDLE: bundleFile, ...overrides });
  const deps = await testDeps(config);
  await putJson(deps.store, key, twoCampaigns);
  const started = await startIngest(env.client, deps.store, config, key);
  const result = await withWorker(env, deps, () => started.handle.result());
  const keys = runKeys(result.run);
  const outputs = await Promise.all(
    [keys.eventOut, keys.clusterOut, keys.flowOut].map(async (k) =>
      (await deps.store.get(k)).toString('utf8').replaceAll(result.run, '<run>'),
    ),
  );
  return { result, outputs, models: deps.models.backend };
}

describe.skipIf(skipWithoutMoto)('IngestWorkflow with MODEL_BACKEND=sagemaker (moto)', () => {
  it('runs every model step as a transform job and writes what the local backend writes', async () => {
    const local = await ingest('input/local.json', {});
    // SageMaker (and moto, between test files) keeps job names: each test run gets fresh ones.
    const sagemaker = await ingest(`input/sagemaker-${randomUUID().slice(0, 8)}.json`, {
      STORE: 's3',
      S3_BUCKET: fake!.bucket,
      S3_ENDPOINT: motoEndpoint!,
      S3_FORCE_PATH_STYLE: 'true',
      MODEL_BACKEND: 'sagemaker',
      SAGEMAKER_ENDPOINT: fake!.proxy.endpoint,
      SAGEMAKER_TECHNIQUE_MODEL: modelNames.technique,
      SAGEMAKER_CLUSTER_MODEL: modelNames.cluster,
      SAGEMAKER_FLOW_MODEL: modelNames.flow,
      SAGEMAKER_POLL_SECONDS: '0.05',
    });
    expect(local.models).toBe('local');
    expect(sagemaker.models).toBe('sagemaker');
    const counts = ({ result }: typeof local) => {
      const { alerts, rejected, clusters, flows, clusterBatches } = result;
      return { alerts, rejected, clusters, flows, clusterBatches };
    };
    expect(counts(sagemaker)).toEqual(counts(local));
    expect(sagemaker.outputs.join('')).toContain('<run>');
    expect(sagemaker.outputs).toEqual(local.outputs);

    // One transform job per model step of the run, each run once by the container.
    const { clusterBatches } = sagemaker.result;
    const techniqueJobs = fake!.container.ran.filter((n) => n.includes('-technique-'));
    expect(techniqueJobs.length).toBeGreaterThan(0);
    expect(fake!.container.ran.filter((n) => n.includes('-cluster-'))).toHaveLength(clusterBatches);
    expect(fake!.container.ran.filter((n) => n.includes('-flow-'))).toHaveLength(1);
    expect(fake!.proxy.createCalls).toEqual(fake!.container.ran);
    expect(fake!.container.errors).toEqual([]);
  });
});
