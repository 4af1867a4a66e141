import type { ClusterSummary } from '../core/formats.js';
import type { ObjectStore } from '../core/store/index.js';
import { WritePool } from './json-pieces.js';
import type { ClusteredAlert } from './process-cluster.js';

/** What the outputs keep of one cluster's alerts once its alerts file is written. */
export interface ClusterMemberFacts {
  alertIds: string[];
  priorities: number[];
  urls: string[];
}

/**
 * Most clusters of a large run are a single noise alert: what is gathered is made on the first
 * alert that needs it, so a run of hundreds of thousands of clusters does not hold empty sets and
 * lists for each.
 */
interface Gathering {
  facts: ClusterMemberFacts;
  urls?: Set<string>;
  texts?: string[];
  expected: number;
  written: boolean;
  /** Absent for a cluster whose alerts file nobody reads: only its facts are gathered. */
  key?: string;
}

const noValues: never[] = [];

/**
 * Gathers each cluster's alerts as they stream past in time order and writes the cluster's
 * alerts file as soon as the last of them has come (a cluster's size is known from its summary),
 * so only the clusters still open are held, and the writes overlap the reading.
 */
export class ClusterMembers {
  private readonly clusters = new Map<number, Gathering>();
  private readonly ready: number[] = [];
  private readonly pool: WritePool;

  constructor(
    summaries: ClusterSummary[],
    private readonly store: ObjectStore,
    keyOf: (cluster: number) => string | undefined,
    parallelWrites: number,
  ) {
    this.pool = new WritePool(parallelWrites);
    for (const s of summaries) {
      this.clusters.set(s.id, {
        facts: { alertIds: [], priorities: noValues, urls: noValues },
        expected: s.size,
        written: false,
        key: keyOf(s.id),
      });
    }
  }

  add(alert: ClusteredAlert): void {
    const cluster = this.clusters.get(alert.cluster);
    // An alert of a cluster with no summary appears in event.json only, as it always has.
    if (!cluster) return;
    cluster.facts.alertIds.push(alert.id);
    const { priority, url } = alert.attrs;
    if (typeof priority === 'number') {
      if (cluster.facts.priorities === noValues) cluster.facts.priorities = [];
      cluster.facts.priorities.push(priority);
    }
    if (typeof url === 'string') (cluster.urls ??= new Set()).add(url);
    if (cluster.key === undefined) return;
    const texts = (cluster.texts ??= []);
    texts.push(JSON.stringify(alert));
    if (texts.length === cluster.expected) this.ready.push(alert.cluster);
  }

  /** Starts writing the clusters that are complete, waiting only while the pool is full. */
  async writeReady(): Promise<void> {
    for (let id = this.ready.shift(); id !== undefined; id = this.ready.shift()) {
      await this.write(id);
    }
  }

  /** Writes every cluster not yet written (one whose size did not match too) and waits. */
  async finish(): Promise<Map<number, ClusterMemberFacts>> {
    await this.writeReady();
    for (const id of this.clusters.keys()) await this.write(id);
    await this.pool.drain();
    return new Map([...this.clusters].map(([id, c]) => [id, c.facts]));
  }

  private async write(id: number): Promise<void> {
    const cluster = this.clusters.get(id)!;
    if (cluster.written) return;
    cluster.written = true;
    if (cluster.urls) cluster.facts.urls = [...cluster.urls];
    const body = `[${(cluster.texts ?? []).join(',')}]`;
    cluster.texts = undefined;
    cluster.urls = undefined;
    const key = cluster.key;
    if (key !== undefined) await this.pool.add(() => this.store.put(key, body));
  }
}
