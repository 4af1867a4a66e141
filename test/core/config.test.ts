import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, content: unknown): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function problemsOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected loadConfig to throw a ConfigError');
}

describe('loadConfig', () => {
  it('runs on defaults: local store, embedded Temporal, local models', () => {
    const config = loadConfig({});
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.store).toEqual({ kind: 'local', root: path.join(config.dataDir, 'store') });
    expect(config.temporal).toMatchObject({
      namespace: 'default',
      port: 7233,
      uiPort: 8233,
      tls: false,
      taskQueue: 'alert-pipeline',
      maxCachedWorkflows: 200,
    });
    expect(config.temporal.address).toBeUndefined();
    expect(config.models).toEqual({ backend: 'local' });
    expect(config.pipeline).toEqual({
      chunkSize: 5000,
      clusterBatchSize: 2000,
      clusterWindowSeconds: 1800,
      batchesBeforeContinueAsNew: 50,
      taskQueues: { io: 'alert-pipeline-io', model: 'alert-pipeline-models' },
      tickets: {
        campaigns: true,
        jira: false,
        cases: false,
        eventThreshold: 2,
        tacticThreshold: 1,
        perFlow: false,
      },
    });
    expect(config.maxInputBytes).toBe(512 * 1024 * 1024);
  });

  it('ignores empty environment values and coerces numbers and booleans', () => {
    const config = loadConfig({ TEMPORAL_PORT: '', CHUNK_SIZE: '10', TEMPORAL_TLS: 'yes' });
    expect(config.temporal.port).toBe(7233);
    expect(config.pipeline.chunkSize).toBe(10);
    expect(config.temporal.tls).toBe(true);
  });

  it('turns on tickets per flow with TICKETS_PER_FLOW', () => {
    expect(loadConfig({ TICKETS_PER_FLOW: 'true' }).pipeline.tickets?.perFlow).toBe(true);
  });

  it('reads CONFIG_FILE, and the environment wins over the file', async () => {
    const file = await configFile('ok.json', {
      DATA_DIR: '/srv/pipeline',
      CHUNK_SIZE: 100,
      TASK_QUEUE: 'from-file',
      STORE: 's3',
      S3_BUCKET: 'alerts-bucket',
      S3_FORCE_PATH_STYLE: true,
    });
    const config = loadConfig({ CONFIG_FILE: file, TASK_QUEUE: 'from-env', CHUNK_SIZE: '7' });
    expect(config.dataDir).toBe('/srv/pipeline');
    expect(config.temporal.taskQueue).toBe('from-env');
    expect(config.pipeline.chunkSize).toBe(7);
    expect(config.store).toEqual({
      kind: 's3',
      bucket: 'alerts-bucket',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: true,
    });
  });

  it('reports an unknown key in the config file, naming it and the file', async () => {
    const file = await configFile('unknown.json', { CHUNK_SIZE: 5, CHUNKSIZE: 5 });
    const error = problemsOf({ CONFIG_FILE: file });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain('CHUNKSIZE');
    expect(error.problems[0]).toContain(file);
  });

  it('reports a config file that is missing, not JSON, or not an object', async () => {
    const missing = path.join(dir, 'missing.json');
    expect(problemsOf({ CONFIG_FILE: missing }).message).toContain(missing);
    const broken = await configFile('broken.json', '{"CHUNK_SIZE": ');
    expect(problemsOf({ CONFIG_FILE: broken }).message).toContain(broken);
    const list = await configFile('list.json', [1, 2]);
    expect(problemsOf({ CONFIG_FILE: list }).message).toMatch(/JSON object/);
  });

  it('reports every bad setting together, each by name', () => {
    const error = problemsOf({
      TEMPORAL_PORT: 'abc',
      STORE: 's3',
      LOG_LEVEL: 'loud',
      CHUNK_SIZE: '-1',
      TEMPORAL_TLS_CERT: '/etc/cert.pem',
    });
    const named = error.problems.map((p) => p.split(':')[0]);
    expect(named.sort()).toEqual(
      ['CHUNK_SIZE', 'LOG_LEVEL', 'S3_BUCKET', 'TEMPORAL_PORT', 'TEMPORAL_TLS_KEY'].sort(),
    );
    expect(error.message).toContain('"abc"');
    expect(error.message).toMatch(/S3_BUCKET: required when STORE=s3/);
  });

  it('rejects a port out of range and an unknown store kind', () => {
    expect(problemsOf({ TEMPORAL_UI_PORT: '70000' }).problems[0]).toMatch(/^TEMPORAL_UI_PORT/);
    expect(problemsOf({ STORE: 'gcs' }).problems[0]).toMatch(/^STORE/);
  });

  it('never shows the Temporal API key, even when invalid or with other problems', async () => {
    const secret = 'sk-live-very-secret-token';
    const config = loadConfig({ TEMPORAL_API_KEY: secret });
    expect(config.temporal.apiKey).toBe(secret);
    const error = problemsOf({ TEMPORAL_API_KEY: secret, TEMPORAL_PORT: 'abc', STORE: 's3' });
    expect(error.message).not.toContain(secret);
    const numeric = await configFile('secret.json', { TEMPORAL_API_KEY: 123456789 });
    const fromFile = problemsOf({ CONFIG_FILE: numeric });
    expect(fromFile.problems[0]).toMatch(/^TEMPORAL_API_KEY/);
    expect(fromFile.message).not.toContain('123456789');
  });
});
