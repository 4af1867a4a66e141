import type { EnrichAlertInput, FlowFile } from '../../core/output-formats.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';

export interface FixtureCluster {
  id: string;
  alerts: number;
  tactics: string[];
  /** Longer alert ids make a description that no longer fits JIRA's field. */
  idPadding?: number;
  /** The flow the cluster belongs to; `f0` unless given. */
  flow?: string;
  /** As the outputs step leaves a cluster no ticket uses: no alerts file, no `alertsKey`. */
  noAlertsFile?: boolean;
}

/**
 * Writes an `enrich_alert_input.json` and the clusters' alert files for run `run`, as the flow
 * step would, and returns its key.
 */
export async function writeTicketInput(
  store: ObjectStore,
  run: string,
  clusters: FixtureCluster[],
): Promise<string> {
  const scratch = `scratch/${run}`;
  const input: EnrichAlertInput = { run, outputPrefix: `output/${run}`, clusters: [] };
  for (const c of clusters) {
    const pad = 'x'.repeat(c.idPadding ?? 0);
    const alerts = Array.from({ length: c.alerts }, (_, n) => ({
      id: `${c.id}-alert-${n}${pad}`,
      time: 1_700_000_000 + n * 60,
      src: '10.9.0.1',
      dst: `10.0.0.${n % 4}`,
      name: 'Brute Force attempt on ssh',
      tech: ['T1110'],
      tactics: c.tactics,
      attrs: { priority: (n % 3) + 1, url: `http://victim/${n % 2}` },
      cluster: Number(c.id.slice(1)),
    }));
    const alertsKey = `${scratch}/cluster_alerts/${c.id}.json`;
    if (!c.noAlertsFile) await putJson(store, alertsKey, alerts);
    input.clusters.push({
      cluster: {
        id: c.id,
        alert_ids: alerts.map((a) => a.id),
        start: alerts[0]!.time,
        end: alerts.at(-1)!.time,
        size: alerts.length,
        entities: ['10.9.0.1', '10.0.0.0', '10.0.0.1'],
        techniques: ['T1110'],
        tactics: c.tactics,
      },
      flow: c.flow ?? 'f0',
      priorities: alerts.map((a) => a.attrs.priority),
      urls: ['http://victim/0', 'http://victim/1'],
      ...(c.noAlertsFile ? {} : { alertsKey }),
    });
  }
  await putJson(store, `output/${run}/flow.json`, flowFile(run, clusters));
  const key = `${scratch}/enrich_alert_input.json`;
  await putJson(store, key, input);
  return key;
}

/** The run's flow.json, as the flow step writes it: each flow's clusters chained in order. */
function flowFile(run: string, clusters: FixtureCluster[]): FlowFile {
  const flows = new Map<string, string[]>();
  for (const c of clusters) flows.set(c.flow ?? 'f0', [...(flows.get(c.flow ?? 'f0') ?? []), c.id]);
  return {
    run,
    flows: [...flows].map(([id, ids]) => ({
      id,
      cluster_ids: ids,
      edges: ids.slice(1).map((to, n) => ({ from: ids[n]!, to, score: 0.75 })),
    })),
  };
}

/** A store whose first write under `prefix` for each key fails, as if the worker died there. */
export function failFirstPut(store: ObjectStore, prefix: string): ObjectStore {
  const failed = new Set<string>();
  return Object.assign(Object.create(store) as ObjectStore, {
    async put(key: string, body: Buffer | string) {
      if (key.startsWith(prefix) && !failed.has(key)) {
        failed.add(key);
        throw new Error(`worker lost before writing ${key}`);
      }
      return store.put(key, body);
    },
  });
}
