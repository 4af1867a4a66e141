import { describe, expect, it } from 'vitest';
import {
  classifyInvocation,
  decodeS3Key,
  readNotification,
  UnrecognisedEventError,
} from '../../starters/lambda-events.js';
import {
  eventBridgeEvent,
  s3Notification,
  s3Record,
  s3TestEvent,
  sqsBatch,
  sqsMessage,
} from './s3-events.js';

describe('reading S3 notifications', () => {
  it('decodes keys the way S3 encodes them', () => {
    expect(decodeS3Key('input/red+flower.json')).toBe('input/red flower.json');
    expect(decodeS3Key('input/a%2Bb.json')).toBe('input/a+b.json');
    const unicode = 'input/%C3%A9t%C3%A9+%E6%97%A5%E6%9C%AC.json';
    expect(decodeS3Key(unicode)).toBe('input/été 日本.json');
    expect(decodeS3Key('input/day%3A1.json')).toBe('input/day:1.json');
    expect(() => decodeS3Key('input/%E6%97.json')).toThrow(URIError);
  });

  it('keeps created objects and says why the rest are skipped', () => {
    const items = readNotification(
      s3Notification(
        s3Record('alerts', 'input/day+one.json', { eTag: 'abc' }),
        s3Record('alerts', 'input/old.json', { eventName: 'ObjectRemoved:Delete' }),
        s3Record('alerts', 'input/%E6%97.json'),
        { eventSource: 'aws:dynamodb' },
      ),
    );
    expect(items).toEqual([
      {
        kind: 'created',
        object: {
          bucket: 'alerts',
          key: 'input/day one.json',
          etag: 'abc',
          via: 's3-notification',
        },
      },
      { kind: 'skipped', reason: 'event ObjectRemoved:Delete', key: 'input/old.json' },
      { kind: 'skipped', reason: 'key is not valid URL encoding', key: 'input/%E6%97.json' },
      { kind: 'skipped', reason: 'record is not an S3 event record' },
    ]);
  });

  it('skips the test event S3 sends when a notification is configured', () => {
    expect(readNotification(s3TestEvent('alerts'))).toMatchObject([{ kind: 'skipped' }]);
  });

  it('reads EventBridge keys verbatim and keeps the decoded form as a fallback', () => {
    const [plain] = readNotification(eventBridgeEvent('alerts', 'input/day:1.json'));
    expect(plain).toMatchObject({ kind: 'created', object: { key: 'input/day:1.json' } });
    expect(plain?.kind === 'created' ? plain.object.altKey : 'not created').toBeUndefined();
    const [plus] = readNotification(eventBridgeEvent('alerts', 'input/a+b.json'));
    expect(plus).toMatchObject({ object: { key: 'input/a+b.json', altKey: 'input/a b.json' } });
    const [deleted] = readNotification(
      eventBridgeEvent('alerts', 'input/x.json', 'Object Deleted'),
    );
    expect(deleted).toMatchObject({ kind: 'skipped', reason: 'EventBridge Object Deleted' });
  });

  it('unwraps an SNS envelope', () => {
    const inner = s3Notification(s3Record('alerts', 'splunk_input/input/r%C3%A9seau.json'));
    const envelope = { Type: 'Notification', MessageId: 'm-1', Message: JSON.stringify(inner) };
    expect(readNotification(envelope)).toMatchObject([
      { kind: 'created', object: { key: 'splunk_input/input/réseau.json' } },
    ]);
  });

  it('refuses payloads of no known shape', () => {
    expect(() => readNotification({ hello: 'world' })).toThrow(UnrecognisedEventError);
  });

  it('tells an SQS batch from a direct S3 notification', () => {
    const direct = s3Notification(s3Record('alerts', 'input/a.json'));
    expect(classifyInvocation(direct).kind).toBe('direct');
    const batch = sqsBatch(sqsMessage(direct, 'm-1'), sqsMessage(s3TestEvent('alerts'), 'm-2'));
    const invocation = classifyInvocation(batch);
    expect(invocation.kind).toBe('sqs');
    expect(invocation.kind === 'sqs' && invocation.messages.map((m) => m.messageId)).toEqual([
      'm-1',
      'm-2',
    ]);
    expect(classifyInvocation(eventBridgeEvent('alerts', 'input/a.json')).kind).toBe('direct');
  });
});
