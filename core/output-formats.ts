import { z } from 'zod';

/**
 * The user-facing files under `output/<run>/` (DESIGN.md section 3). `npm run schemas` publishes
 * them as JSON Schema in `schemas/`.
 */
export const eventRecordSchema = z.object({
  id: z.string().describe("the alert's id as the user gave it"),
  time: z.number().describe('epoch seconds'),
  src: z.string(),
  dst: z.string(),
  name: z.string(),
  cluster: z.string().describe('id of the cluster in cluster.json'),
  flow: z.string().describe('id of the flow in flow.json'),
  techniques: z.array(z.string()),
  tactics: z.array(z.string()).describe('ATT&CK tactic ids (TAxxxx)'),
  other_attributes_dict: z.record(z.string(), z.unknown()),
});

export const clusterRecordSchema = z.object({
  id: z.string(),
  alert_ids: z.array(z.string()).describe("the users' alert ids"),
  start: z.number(),
  end: z.number(),
  size: z.number().int().positive(),
  entities: z.array(z.string()).describe('sources and destinations'),
  techniques: z.array(z.string()),
  tactics: z.array(z.string()),
});

export const flowRecordSchema = z.object({
  id: z.string(),
  cluster_ids: z.array(z.string()),
  edges: z
    .array(z.object({ from: z.string(), to: z.string(), score: z.number().min(0).max(1) }))
    .describe('ordered by the start time of the source cluster'),
});

export const eventFileSchema = z.object({ run: z.string(), events: z.array(eventRecordSchema) });
export const clusterFileSchema = z.object({
  run: z.string(),
  clusters: z.array(clusterRecordSchema),
});
export const flowFileSchema = z.object({ run: z.string(), flows: z.array(flowRecordSchema) });

export type EventRecord = z.infer<typeof eventRecordSchema>;
export type ClusterRecord = z.infer<typeof clusterRecordSchema>;
export type FlowRecord = z.infer<typeof flowRecordSchema>;
export type EventFile = z.infer<typeof eventFileSchema>;
export type ClusterFile = z.infer<typeof clusterFileSchema>;
export type FlowFile = z.infer<typeof flowFileSchema>;

/** What the ticketing steps (campaign, JIRA, cases) read: one entry per cluster. */
export const enrichAlertInputSchema = z.object({
  run: z.string(),
  outputPrefix: z.string(),
  clusters: z.array(
    z.object({
      cluster: clusterRecordSchema,
      flow: z.string(),
      priorities: z.array(z.number()),
      urls: z.array(z.string()),
      alertsKey: z
        .string()
        .optional()
        .describe(
          'object key of the alerts of this cluster; absent when no ticketing step uses them ' +
            '(below EVENT_THRESHOLD or TACTIC_THRESHOLD and in no flow ticket)',
        ),
    }),
  ),
});
export type EnrichAlertInput = z.infer<typeof enrichAlertInputSchema>;

export const publishedSchemas = {
  'event.schema.json': eventFileSchema,
  'cluster.schema.json': clusterFileSchema,
  'flow.schema.json': flowFileSchema,
  'enrich_alert_input.schema.json': enrichAlertInputSchema,
} as const;
