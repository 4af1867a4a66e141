import { z } from 'zod';

/**
 * What analysts send from the campaign UI. The same schemas check the UI's request bodies and
 * travel (as plain data, never credentials) in the FeedbackWorkflow's signals.
 */
export const campaignIdSchema = z
  .string()
  .max(300)
  .regex(/^[A-Za-z0-9._-]+--[A-Za-z0-9._-]+$/, 'expected a campaign id like <run>--<cluster>');

const eventIdsSchema = z.array(z.string().min(1).max(512)).min(1).max(10_000);

/** Attribute name -> the weight this feedback adds; 0 (the default) leaves it as it was. */
const weightChangesSchema = z
  .record(z.string().min(1).max(200), z.number().finite().min(-5).max(5))
  .refine((r) => Object.keys(r).length <= 200, 'at most 200 attributes');

export const cutEventsSchema = z.strictObject({
  source: campaignIdSchema,
  targets: z
    .array(z.strictObject({ campaign: campaignIdSchema, eventIds: eventIdsSchema }))
    .min(1)
    .max(20),
  eventWeights: weightChangesSchema.default({}),
  nodeWeights: weightChangesSchema.default({}),
});
export type CutEvents = z.infer<typeof cutEventsSchema>;

export const hideEventsSchema = z.strictObject({
  campaign: campaignIdSchema,
  eventIds: eventIdsSchema,
  hidden: z.boolean().default(true),
});
export type HideEvents = z.infer<typeof hideEventsSchema>;

export const editTechniquesSchema = z.strictObject({
  campaign: campaignIdSchema,
  eventId: z.string().min(1).max(512),
  techniques: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'expected ATT&CK ids like T1055'))
    .max(50),
  /** Also every other event of the run with the same name. */
  sameName: z.boolean().default(false),
});
export type EditTechniques = z.infer<typeof editTechniquesSchema>;

/** One request as the FeedbackWorkflow queues it: an id chosen by the UI, so retries dedupe. */
export type FeedbackRequest = { id: string; at: string } & (
  | ({ kind: 'cut' } & CutEvents)
  | ({ kind: 'hide' } & HideEvents)
  | ({ kind: 'techniques' } & EditTechniques)
);

export type FeedbackStatus = 'applied' | 'rejected' | 'failed';

/** Per run: what analysts changed about its events without moving them. */
export interface EventOverrides {
  hidden: string[];
  /** Event id -> techniques and their tactics as an analyst set them. */
  techniques: Record<string, { techniques: string[]; tactics: string[] }>;
}

/** The stored outcome of one request (`scratch/feedback/records/<id>.json`). */
export interface FeedbackRecord {
  id: string;
  kind: FeedbackRequest['kind'];
  status: FeedbackStatus;
  reason?: string;
  request: FeedbackRequest;
  /** Campaigns rewritten, with their sizes afterwards; removed ones were emptied by a cut. */
  campaigns: { id: string; size: number }[];
  removed: string[];
  weightsChanged: number;
  tickets?: Record<string, string>;
  processedAt: string;
}
