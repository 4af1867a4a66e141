import { log } from '@temporalio/activity';
import type { AttackCatalog } from '../../core/attack.js';
import type {
  FeedbackRecord,
  FeedbackRequest,
  FeedbackStatus,
} from '../../core/feedback-formats.js';
import { feedbackRecordKey } from '../../core/feedback-keys.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';
import { campaignKey } from '../tickets/campaign-store.js';
import { cutEvents } from './cut-events.js';
import { editTechniques, hideEvents } from './event-edits.js';
import { FeedbackRejection } from './run-events.js';
import type { FeedbackTicketInput } from './ticket-output.js';

export type { FeedbackTicketInput } from './ticket-output.js';

/** What applying one request did: small, for workflow history. */
export interface AppliedFeedback {
  status: 'applied' | 'rejected' | 'duplicate';
  reason?: string;
  ticketInput?: FeedbackTicketInput;
  removed: string[];
  weightsChanged: number;
}

export interface StoreFeedbackRecordArgs {
  request: FeedbackRequest;
  status: FeedbackStatus;
  reason?: string;
  ticketInput?: FeedbackTicketInput;
  removed: string[];
  weightsChanged: number;
  tickets?: Record<string, string>;
}

/** The feedback loop's activities: apply an analyst's request, then keep its record. */
export function makeFeedbackActivities(deps: { store: ObjectStore; attack: AttackCatalog }) {
  const { store, attack } = deps;
  return {
    async applyFeedback(request: FeedbackRequest): Promise<AppliedFeedback> {
      const none = { removed: [], weightsChanged: 0 };
      if (await store.exists(feedbackRecordKey(request.id))) {
        return { status: 'duplicate', ...none };
      }
      try {
        switch (request.kind) {
          case 'cut':
            return { status: 'applied', ...(await cutEvents(store, request.id, request)) };
          case 'hide':
            await hideEvents(store, request);
            return { status: 'applied', ...none };
          case 'techniques': {
            const ticketInput = await editTechniques(store, attack, request.id, request);
            return { status: 'applied', ticketInput, ...none };
          }
        }
      } catch (err) {
        if (!(err instanceof FeedbackRejection)) throw err;
        log.warn('feedback rejected', { feedback: request.id, reason: err.message });
        return { status: 'rejected', reason: err.message, ...none };
      }
    },

    /** Campaigns a cut emptied; their JIRA issues and cases stay as they were. */
    async removeCampaigns(args: { ids: string[] }): Promise<void> {
      for (const id of args.ids) await store.delete(campaignKey(id));
    },

    async storeFeedbackRecord(args: StoreFeedbackRecordArgs): Promise<void> {
      const { request } = args;
      const record: FeedbackRecord = {
        id: request.id,
        kind: request.kind,
        status: args.status,
        reason: args.reason,
        request,
        campaigns: Object.entries(args.ticketInput?.sizes ?? {}).map(([id, size]) => ({
          id,
          size,
        })),
        removed: args.removed,
        weightsChanged: args.weightsChanged,
        tickets: args.tickets,
        processedAt: new Date().toISOString(),
      };
      await putJson(store, feedbackRecordKey(request.id), record);
      const { id, kind, status, campaigns, removed } = record;
      log.info('feedback recorded', { feedback: id, kind, status, campaigns, removed });
    },
  };
}
