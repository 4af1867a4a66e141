import type { Client } from '@temporalio/client';
import type { Config } from '../core/config.js';
import { prefixes } from '../core/keys.js';
import type { Logger } from '../core/logger.js';
import { InvalidKeyError, ObjectNotFoundError, type ObjectStore } from '../core/store/index.js';
import { forEachBounded } from './bounded.js';
import {
  classifyInvocation,
  parseMessageBody,
  readNotification,
  type CreatedObject,
} from './lambda-events.js';
import { startRun } from './start-run.js';

/** What the starter needs, built once per Lambda container (or handed in by a test). */
export interface StarterContext {
  client: Client;
  store: ObjectStore;
  config: Config;
  logger: Logger;
}

export type ObjectOutcome =
  | { status: 'started' | 'existing'; bucket: string; key: string; workflowId: string }
  | { status: 'ignored'; reason: string; bucket?: string; key?: string };

export interface InvocationReport {
  kind: 'sqs' | 'direct';
  outcomes: ObjectOutcome[];
  /** SQS message ids to redeliver; for a direct invocation, the ids are empty and errors count. */
  failedMessageIds: string[];
  errors: Error[];
}

/** SQS batches hold up to 10 messages by default; a few starts at a time keep latency low. */
const messageConcurrency = 4;

const watched = [prefixes.input, prefixes.splunkInput];

async function startForObject(ctx: StarterContext, object: CreatedObject): Promise<ObjectOutcome> {
  const { bucket, key } = object;
  if (!watched.some((p) => key.startsWith(p))) {
    return { status: 'ignored', bucket, key, reason: `not under ${watched.join(' or ')}` };
  }
  const store = ctx.config.store;
  if (store.kind === 's3' && store.bucket !== bucket) {
    // The pipeline's activities read S3_BUCKET only; a run for another bucket could never work.
    return { status: 'ignored', bucket, key, reason: `bucket is not S3_BUCKET (${store.bucket})` };
  }
  for (const candidate of object.altKey ? [key, object.altKey] : [key]) {
    try {
      const started = await startRun(ctx.client, ctx.store, ctx.config, candidate);
      const status = started.started ? 'started' : 'existing';
      return { status, bucket, key: candidate, workflowId: started.workflowId };
    } catch (err) {
      if (err instanceof InvalidKeyError) {
        return { status: 'ignored', bucket, key, reason: err.message };
      }
      if (!(err instanceof ObjectNotFoundError)) throw err;
    }
  }
  return { status: 'ignored', bucket, key, reason: 'object no longer exists' };
}

function logOutcome(logger: Logger, outcome: ObjectOutcome, etag?: string): void {
  if (outcome.status === 'ignored') {
    if (outcome.reason.startsWith('bucket')) {
      logger.error(
        outcome,
        'notification for another bucket ignored; check the notification setup',
      );
    } else {
      logger.info(outcome, 'notification ignored');
    }
  } else if (outcome.status === 'started') {
    logger.info({ ...outcome, etag }, 'run started for a new object');
  } else {
    logger.info({ ...outcome, etag }, 'object already has a run; nothing started');
  }
}

/**
 * Starts a run for every created object in one notification payload, into `outcomes`. Every
 * object is tried before a failure is rethrown, so one bad record does not hold back the others.
 */
async function handlePayload(
  ctx: StarterContext,
  payload: unknown,
  outcomes: ObjectOutcome[],
): Promise<void> {
  const errors: Error[] = [];
  for (const item of readNotification(payload)) {
    if (item.kind === 'skipped') {
      const outcome = { status: 'ignored', reason: item.reason, key: item.key } as const;
      logOutcome(ctx.logger, outcome);
      outcomes.push(outcome);
      continue;
    }
    try {
      const outcome = await startForObject(ctx, item.object);
      logOutcome(ctx.logger, outcome, item.object.etag);
      outcomes.push(outcome);
    } catch (err) {
      const { bucket, key } = item.object;
      ctx.logger.error({ bucket, key, err: (err as Error).message }, 'could not start a run');
      errors.push(err as Error);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
}

/**
 * Handles one Lambda invocation: an SQS batch of notifications (a failed message is reported for
 * redelivery, the rest are not), or one S3 notification or EventBridge event delivered directly.
 */
export async function processInvocation(
  event: unknown,
  ctx: StarterContext,
): Promise<InvocationReport> {
  const invocation = classifyInvocation(event);
  const report: InvocationReport = {
    kind: invocation.kind,
    outcomes: [],
    failedMessageIds: [],
    errors: [],
  };
  if (invocation.kind === 'direct') {
    try {
      await handlePayload(ctx, invocation.payload, report.outcomes);
    } catch (err) {
      ctx.logger.error(
        { err: (err as Error).message },
        'notification failed; Lambda will retry it',
      );
      report.errors.push(err as Error);
    }
    return report;
  }
  await forEachBounded(invocation.messages, messageConcurrency, async ({ messageId, body }) => {
    try {
      await handlePayload(ctx, parseMessageBody(body), report.outcomes);
    } catch (err) {
      const message = (err as Error).message;
      ctx.logger.error({ messageId, err: message }, 'SQS message failed; it will be redelivered');
      report.failedMessageIds.push(messageId);
      report.errors.push(err as Error);
    }
  });
  return report;
}

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * The Lambda entry shape: SQS invocations answer with `batchItemFailures` (enable
 * ReportBatchItemFailures on the event source mapping); direct ones throw so that Lambda's own
 * retries and failure destination take over.
 */
export function createS3Handler(getContext: () => Promise<StarterContext>) {
  return async (event: unknown): Promise<SqsBatchResponse | void> => {
    const report = await processInvocation(event, await getContext());
    if (report.kind === 'sqs') {
      return { batchItemFailures: report.failedMessageIds.map((id) => ({ itemIdentifier: id })) };
    }
    if (report.errors.length > 0) {
      throw new AggregateError(report.errors, report.errors.map((e) => e.message).join('; '));
    }
  };
}
