import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../core/store/index.js';
import { describeObjectStoreContract } from './object-store-contract.js';

/**
 * The S3 store against a real S3 API: the moto server that scripts/test.sh starts and names in
 * TEST_S3_ENDPOINT. Without it the tests are skipped on a laptop and fail in CI.
 */
const endpoint = process.env.TEST_S3_ENDPOINT;
const skip = !endpoint && !process.env.CI;
if (skip) console.warn('skipping S3 store tests: TEST_S3_ENDPOINT is not set (start moto first)');

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';
const bucket = `store-test-${randomUUID().slice(0, 8)}`;
const clients: S3Client[] = [];
let created: Promise<void> | undefined;

function ensureBucket(): Promise<void> {
  if (!endpoint) throw new Error('TEST_S3_ENDPOINT is not set: the S3 store cannot be tested');
  const client = new S3Client({ endpoint, region, credentials, forcePathStyle: true });
  clients.push(client);
  created ??= client.send(new CreateBucketCommand({ Bucket: bucket })).then(() => undefined);
  return created;
}

function makeStore(name = bucket): S3ObjectStore {
  const options = { bucket: name, region, endpoint, forcePathStyle: true, credentials };
  const store = new S3ObjectStore(options);
  clients.push(store.client);
  return store;
}

afterAll(() => {
  for (const client of clients) client.destroy();
});

describeObjectStoreContract(
  'S3ObjectStore (moto)',
  async () => {
    await ensureBucket();
    return makeStore();
  },
  { skip, manyKeys: 1100 },
);

describe.skipIf(skip)('S3ObjectStore specifics', () => {
  it('names objects with s3:// URLs', async () => {
    await ensureBucket();
    const store = makeStore();
    expect(store.location).toBe(`s3://${bucket}`);
    expect(store.describe('input/a.json')).toBe(`s3://${bucket}/input/a.json`);
  });

  it('passes errors other than "not found" through, e.g. a missing bucket', async () => {
    await ensureBucket();
    const store = makeStore(`missing-${randomUUID().slice(0, 8)}`);
    await expect(store.getIfExists('a')).rejects.toThrow(/bucket/i);
    await expect(store.put('a', 'x')).rejects.toThrow(/bucket/i);
  });
});
