import { randomUUID } from 'node:crypto';

/**
 * Event bodies laid out as AWS sends them (S3 event notification structure version 2.1, the SQS
 * event source, EventBridge "Object Created"). Keys passed to `s3Record` must already be
 * encoded the way S3 encodes them, so tests state the wire form literally.
 */
export function s3Record(
  bucket: string,
  encodedKey: string,
  options: { eventName?: string; size?: number; eTag?: string } = {},
) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'eu-west-1',
    eventTime: '2025-03-04T10:15:30.123Z',
    eventName: options.eventName ?? 'ObjectCreated:Put',
    userIdentity: { principalId: 'AWS:AIDAEXAMPLEUSER' },
    requestParameters: { sourceIPAddress: '198.51.100.7' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'start-ingest',
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: {
        key: encodedKey,
        size: options.size ?? 1024,
        eTag: options.eTag ?? 'd41d8cd98f00b204e9800998ecf8427e',
        sequencer: '0055AED6DCD90281E5',
      },
    },
  };
}

export const s3Notification = (...records: unknown[]) => ({ Records: records });

export const s3TestEvent = (bucket: string) => ({
  Service: 'Amazon S3',
  Event: 's3:TestEvent',
  Time: '2025-03-04T10:00:00.000Z',
  Bucket: bucket,
  RequestId: '5582815E1AEA5ADF',
  HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE',
});

export function sqsMessage(body: unknown, messageId: string = randomUUID()) {
  return {
    messageId,
    receiptHandle: `AQEB${messageId.replace(/-/g, '')}`,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1741083330123',
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: '1741083330130',
    },
    messageAttributes: {},
    md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:alert-input-events',
    awsRegion: 'eu-west-1',
  };
}

export const sqsBatch = (...messages: ReturnType<typeof sqsMessage>[]) => ({ Records: messages });

export function eventBridgeEvent(
  bucket: string,
  key: string,
  detailType = 'Object Created',
  etag = 'b1946ac92492d2347c6235b4d2611184',
) {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.s3',
    account: '123456789012',
    time: '2025-03-04T10:15:30Z',
    region: 'eu-west-1',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: { key, size: 512, etag, sequencer: '00617F08299329D189' },
      'request-id': 'N4N7GDK58NMKJ12R',
      requester: '123456789012',
      'source-ip-address': '198.51.100.7',
      reason: 'PutObject',
    },
  };
}
