import { z } from 'zod';

/** The internal alert format (DESIGN.md section 3): what lands under `input/`. */
export const otherAttributesSchema = z
  .object({
    priority: z.number().finite().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    url: z.string().optional(),
    user_agent: z.string().optional(),
    cert: z.string().optional(),
  })
  .catchall(z.unknown());

export const inputAlertSchema = z.object({
  id: z.union([z.string().min(1), z.number().finite()]).transform(String),
  time: z.number().finite().nonnegative(),
  src: z.string(),
  dst: z.string(),
  name: z.string().min(1),
  tech: z
    .array(z.string().regex(/^T\d{4}(\.\d{3})?$/, 'expected an ATT&CK id like T1055'))
    .default([]),
  other_attributes_dict: otherAttributesSchema.default({}),
});
export type InputAlert = z.infer<typeof inputAlertSchema>;

export const nodeFeatureSchema = z.record(z.string(), z.record(z.string(), z.unknown()));
export type NodeFeatures = z.infer<typeof nodeFeatureSchema>;

export const inputFileSchema = z.object({
  input: z.array(z.unknown()),
  node_feature: nodeFeatureSchema.optional(),
});

/** An alert after sanitising: numbered with the run's internal id `i`. */
export interface Alert {
  i: number;
  id: string;
  time: number;
  src: string;
  dst: string;
  name: string;
  tech: string[];
  attrs: Record<string, unknown>;
  /** Encoded attribute features: `name=value` tokens for categorical and bucketed numbers. */
  features: string[];
}

/** An alert with techniques and tactics settled, as the clusterer reads it. */
export interface EnrichedAlert extends Alert {
  tactics: string[];
}

export interface RejectedRecord {
  file: string;
  index: number;
  id?: string;
  field: string;
  reason: string;
  record: unknown;
}

// ---- model contracts (SageMaker batch-transform style: `<prefix>/input.json` -> `.out`) ----

export const techniqueModelInputSchema = z.object({
  names: z.array(z.string()),
});
export type TechniqueModelInput = z.infer<typeof techniqueModelInputSchema>;

export const scoredTechniqueSchema = z.object({ id: z.string(), score: z.number() });
export const techniqueModelOutputSchema = z.object({
  predictions: z.array(z.object({ name: z.string(), techniques: z.array(scoredTechniqueSchema) })),
});
export type TechniqueModelOutput = z.infer<typeof techniqueModelOutputSchema>;

export const clusterStateSchema = z.object({
  nextClusterId: z.number().int().nonnegative(),
  open: z.array(
    z.object({
      id: z.number().int(),
      /** When the cluster began; absent in state saved before it was kept (then `lastTime`). */
      firstTime: z.number().optional(),
      lastTime: z.number(),
      entities: z.array(z.string()),
      /** Weighted event features, so that batch boundaries do not change the clustering. */
      features: z.array(z.string()).default([]),
      tactics: z.array(z.string()),
    }),
  ),
});
export type ClusterState = z.infer<typeof clusterStateSchema>;

export const weightsSchema = z.object({
  node: z.record(z.string(), z.number()).default({}),
  event: z.record(z.string(), z.number()).default({}),
});
export type AttributeWeights = z.infer<typeof weightsSchema>;

export const clusterModelInputSchema = z.object({
  batch: z.object({ index: z.number().int().nonnegative(), total: z.number().int().positive() }),
  params: z.object({ windowSeconds: z.number().positive() }),
  weights: weightsSchema,
  nodeFeature: nodeFeatureSchema,
  alerts: z.array(
    z.object({
      i: z.number().int(),
      time: z.number(),
      src: z.string(),
      dst: z.string(),
      tech: z.array(z.string()),
      tactics: z.array(z.string()),
      features: z.array(z.string()),
    }),
  ),
  state: clusterStateSchema.nullable(),
});
export type ClusterModelInput = z.infer<typeof clusterModelInputSchema>;

export const clusterModelOutputSchema = z.object({
  batch: z.object({ index: z.number().int(), total: z.number().int() }),
  /** [internal alert id, cluster id] pairs for this batch's alerts. */
  assignments: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** [absorbed, surviving]: clusters of earlier batches that turned out to be one. */
  merges: z.array(z.tuple([z.number().int(), z.number().int()])),
  state: clusterStateSchema,
  nextBatch: z.boolean(),
});
export type ClusterModelOutput = z.infer<typeof clusterModelOutputSchema>;

export const clusterSummarySchema = z.object({
  id: z.number().int(),
  start: z.number(),
  end: z.number(),
  size: z.number().int().positive(),
  entities: z.array(z.string()),
  techniques: z.array(z.string()),
  tactics: z.array(z.string()),
});
export type ClusterSummary = z.infer<typeof clusterSummarySchema>;

export const flowModelInputSchema = z.object({
  /** ATT&CK tactic ids in kill-chain order. */
  tacticOrder: z.array(z.string()),
  params: z.object({ maxGapSeconds: z.number().positive() }),
  clusters: z.array(clusterSummarySchema),
});
export type FlowModelInput = z.infer<typeof flowModelInputSchema>;

export const flowEdgeSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  score: z.number().min(0).max(1),
});
export const flowModelOutputSchema = z.object({
  flows: z.array(
    z.object({
      id: z.number().int(),
      clusters: z.array(z.number().int()),
      edges: z.array(flowEdgeSchema),
    }),
  ),
});
export type FlowModelOutput = z.infer<typeof flowModelOutputSchema>;
