import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  ObjectNotFoundError,
  validateKey,
  type ObjectHead,
  type ObjectStore,
} from './object-store.js';

export interface S3StoreOptions {
  bucket: string;
  region: string;
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Only for tests; production takes credentials from the SDK's default chain. */
  credentials?: S3ClientConfig['credentials'];
}

/** Objects in one S3 bucket (or any S3-compatible endpoint). */
export class S3ObjectStore implements ObjectStore {
  readonly location: string;
  readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.location = `s3://${options.bucket}`;
    this.client = new S3Client({
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      maxAttempts: 5,
    });
  }

  describe(key: string): string {
    const folder = key.endsWith('/');
    return `${this.location}/${validateKey(folder ? key.slice(0, -1) : key)}${folder ? '/' : ''}`;
  }

  async get(key: string): Promise<Buffer> {
    const found = await this.getIfExists(key);
    if (found === undefined) throw new ObjectNotFoundError(key, this.location);
    return found;
  }

  async openReadStream(key: string): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: validateKey(key) }),
      );
      return out.Body instanceof Readable ? out.Body : Readable.from([]);
    } catch (err) {
      if (err instanceof NoSuchKey || err instanceof NotFound) {
        throw new ObjectNotFoundError(key, this.location);
      }
      throw err;
    }
  }

  async getIfExists(key: string): Promise<Buffer | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: validateKey(key) }),
      );
      if (!out.Body) return Buffer.alloc(0);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (err) {
      if (err instanceof NoSuchKey || err instanceof NotFound) return undefined;
      throw err;
    }
  }

  async put(key: string, body: Buffer | string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: validateKey(key), Body: body }),
    );
  }

  async putFile(key: string, file: string): Promise<void> {
    const { size } = await stat(file);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: validateKey(key),
        Body: createReadStream(file),
        ContentLength: size,
      }),
    );
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== undefined;
  }

  async head(key: string): Promise<ObjectHead | undefined> {
    try {
      const out = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: validateKey(key) }),
      );
      return { size: out.ContentLength ?? 0, version: out.ETag ?? '', modified: out.LastModified };
    } catch (err) {
      if (err instanceof NotFound || err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: validateKey(key) }));
  }
}
