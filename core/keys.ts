/**
 * Object keys of one run (DESIGN.md section 4). Every step takes its keys from here so that the
 * layout is written down once.
 */
export const prefixes = {
  splunkInput: 'splunk_input/input/',
  input: 'input/',
  lookup: 'scratch/lookup/',
  feedback: 'scratch/feedback/',
} as const;

export const techniqueLookupKey = 'scratch/lookup/technique_lookup.json';
export const feedbackWeightsKey = 'scratch/feedback/weights.json';

const pad = (n: number): string => String(n).padStart(5, '0');

export function runKeys(run: string) {
  const scratch = `scratch/${run}`;
  return {
    scratch,
    rejected: `${scratch}/rejected.json`,
    idMap: `${scratch}/id_map.json`,
    chunkMap: `${scratch}/chunk_map.json`,
    nodeFeature: `${scratch}/node_feature.json`,
    chunk: (n: number) => `${scratch}/chunks/chunk-${pad(n)}.json`,
    techniqueInputPrefix: (n: number) => `${scratch}/technique/chunk-${pad(n)}`,
    techniqueOutputPrefix: (n: number) => `${scratch}/technique/chunk-${pad(n)}/out`,
    enrichedChunk: (n: number) => `${scratch}/enriched/chunk-${pad(n)}.json`,
    clusterSlice: (n: number) => `${scratch}/cluster/slice-${pad(n)}.json`,
    clusterInputPrefix: (n: number) => `${scratch}/cluster/batch-${pad(n)}`,
    clusterOutputPrefix: (n: number) => `${scratch}/cluster/batch-${pad(n)}/out`,
    aggAlert: `${scratch}/agg_alert.json`,
    cluster: `${scratch}/cluster.json`,
    flowInputPrefix: `${scratch}/flow`,
    flowOutputPrefix: `${scratch}/flow/out`,
    flowOutput: `${scratch}/flow_output.json`,
    enrichAlertInput: `${scratch}/enrich_alert_input.json`,
    clusterAlerts: (clusterId: string) => `${scratch}/cluster_alerts/${clusterId}.json`,
    output: `output/${run}`,
    eventOut: `output/${run}/event.json`,
    clusterOut: `output/${run}/cluster.json`,
    flowOut: `output/${run}/flow.json`,
  };
}
export type RunKeys = ReturnType<typeof runKeys>;

/** Batch transform writes the answer for `<prefix>/input.json` to `<out>/input.json.out`. */
export const modelInputKey = (prefix: string): string => `${prefix}/input.json`;
export const modelOutputKey = (outputPrefix: string, inputKey: string): string =>
  `${outputPrefix}/${inputKey.slice(inputKey.lastIndexOf('/') + 1)}.out`;

/** A run's name: the input file's base name plus the start of its run hash (core/run-hash.ts). */
export function runName(inputKey: string, hash: string): string {
  const base = inputKey.slice(inputKey.lastIndexOf('/') + 1).replace(/\.(json|jsonl|gz)$/gi, '');
  const safe =
    base
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'input';
  return `${safe}-${hash.slice(0, 12)}`;
}

/** Workflow ids, readable in the Web UI and derived from key and content, never random. */
export const ingestWorkflowId = (run: string): string => `ingest-${run}`;
export const splunkWorkflowId = (run: string): string => `splunk-${run}`;
