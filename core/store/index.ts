import type { Config } from '../config.js';
import { LocalObjectStore } from './local-store.js';
import type { ObjectStore } from './object-store.js';
import { S3ObjectStore } from './s3-store.js';

export * from './object-store.js';
export { LocalObjectStore } from './local-store.js';
export { S3ObjectStore } from './s3-store.js';

export function createObjectStore(store: Config['store']): ObjectStore {
  if (store.kind === 's3') {
    return new S3ObjectStore({
      bucket: store.bucket,
      region: store.region,
      endpoint: store.endpoint,
      forcePathStyle: store.forcePathStyle,
    });
  }
  return new LocalObjectStore(store.root);
}
