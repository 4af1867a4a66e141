import { z } from 'zod';

/** An object that a notification says was created, with its key decoded. */
export interface CreatedObject {
  bucket: string;
  key: string;
  /** Tried when `key` does not exist: the URL-decoded form of a key that arrived verbatim. */
  altKey?: string;
  etag?: string;
  via: 's3-notification' | 'eventbridge';
}

export type NotificationItem =
  { kind: 'created'; object: CreatedObject } | { kind: 'skipped'; reason: string; key?: string };

/** A payload that is none of the shapes the starter knows: left for the dead-letter queue. */
export class UnrecognisedEventError extends Error {
  constructor(detail: string) {
    super(`not an S3 event notification, EventBridge S3 event or SNS envelope: ${detail}`);
    this.name = 'UnrecognisedEventError';
  }
}

const s3Record = z.object({
  // MinIO sends the same layout with its own source name.
  eventSource: z.enum(['aws:s3', 'minio:s3']),
  eventName: z.string(),
  s3: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), eTag: z.string().optional() }),
  }),
});
const s3Notification = z.object({ Records: z.array(z.unknown()) });
const s3TestEvent = z.object({ Event: z.literal('s3:TestEvent'), Bucket: z.string().optional() });
const eventBridgeEvent = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string().min(1) }),
    object: z.object({ key: z.string().min(1), etag: z.string().optional() }),
  }),
});
const snsEnvelope = z.object({ Type: z.literal('Notification'), Message: z.string() });
const sqsRecord = z.object({
  eventSource: z.literal('aws:sqs'),
  messageId: z.string().min(1),
  body: z.string(),
});

/**
 * S3 notifications carry keys form-encoded ("red flower.jpg" arrives as "red+flower.jpg", non-ASCII
 * as UTF-8 %XX): a literal plus arrives as %2B, so `+` can only mean a space.
 */
export function decodeS3Key(raw: string): string {
  return decodeURIComponent(raw.replace(/\+/g, '%20'));
}

export type Invocation =
  | { kind: 'sqs'; messages: { messageId: string; body: string }[] }
  | { kind: 'direct'; payload: unknown };

/** An SQS batch (one S3 notification per message body), or a notification delivered directly. */
export function classifyInvocation(event: unknown): Invocation {
  const batch = s3Notification.safeParse(event);
  if (batch.success && batch.data.Records.length > 0) {
    const messages = batch.data.Records.map((r) => sqsRecord.safeParse(r));
    if (messages.every((m) => m.success)) {
      return { kind: 'sqs', messages: messages.map((m) => m.data!) };
    }
  }
  return { kind: 'direct', payload: event };
}

/** Parses an SQS message body; a body that is not JSON cannot become valid on redelivery. */
export function parseMessageBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new UnrecognisedEventError(`message body is not JSON (${body.slice(0, 80)})`);
  }
}

/** The objects one notification payload reports: S3, EventBridge, or either inside SNS. */
export function readNotification(payload: unknown): NotificationItem[] {
  if (s3TestEvent.safeParse(payload).success) {
    return [{ kind: 'skipped', reason: 's3:TestEvent sent when the notification was configured' }];
  }
  const sns = snsEnvelope.safeParse(payload);
  if (sns.success) return readNotification(parseMessageBody(sns.data.Message));

  const bridge = eventBridgeEvent.safeParse(payload);
  if (bridge.success) {
    const { detail } = bridge.data;
    if (bridge.data['detail-type'] !== 'Object Created') {
      return [
        {
          kind: 'skipped',
          reason: `EventBridge ${bridge.data['detail-type']}`,
          key: detail.object.key,
        },
      ];
    }
    return [{ kind: 'created', object: fromEventBridge(detail.bucket.name, detail.object) }];
  }

  const notification = s3Notification.safeParse(payload);
  if (notification.success) return notification.data.Records.map(readS3Record);
  throw new UnrecognisedEventError(JSON.stringify(payload)?.slice(0, 120) ?? String(payload));
}

/**
 * EventBridge's S3 events show keys as stored (AWS's own examples carry unescaped `:`), unlike
 * S3 notifications; the decoded form is kept as a fallback should an encoded one ever arrive.
 */
function fromEventBridge(bucket: string, object: { key: string; etag?: string }): CreatedObject {
  let decoded: string | undefined;
  try {
    decoded = decodeS3Key(object.key);
  } catch {
    decoded = undefined;
  }
  const altKey = decoded !== undefined && decoded !== object.key ? decoded : undefined;
  return { bucket, key: object.key, altKey, etag: object.etag, via: 'eventbridge' };
}

function readS3Record(record: unknown): NotificationItem {
  const parsed = s3Record.safeParse(record);
  if (!parsed.success) return { kind: 'skipped', reason: 'record is not an S3 event record' };
  const { eventName, s3 } = parsed.data;
  if (!/(^|:)ObjectCreated:/.test(eventName)) {
    return { kind: 'skipped', reason: `event ${eventName}`, key: s3.object.key };
  }
  let key: string;
  try {
    key = decodeS3Key(s3.object.key);
  } catch {
    return { kind: 'skipped', reason: 'key is not valid URL encoding', key: s3.object.key };
  }
  const object = {
    bucket: s3.bucket.name,
    key,
    etag: s3.object.eTag,
    via: 's3-notification',
  } as const;
  return { kind: 'created', object };
}
