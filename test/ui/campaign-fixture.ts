import { putCampaign } from '../../activities/tickets/campaign-store.js';
import { runKeys } from '../../core/keys.js';
import type { EventRecord } from '../../core/output-formats.js';
import { putJson, type ObjectStore } from '../../core/store/index.js';

export const fixtureRun = 'ui-fixture-0123456789ab';

const event = (id: string, time: number, src: string, cluster: string): EventRecord => ({
  id,
  time,
  src,
  dst: '10.0.0.5',
  name: `alert ${id}`,
  cluster,
  flow: 'f0',
  techniques: ['T1110'],
  tactics: ['TA0006'],
  other_attributes_dict: { port: 22 },
});

/** One run's outputs and two campaigns, written straight to the store. */
export async function seedCampaigns(store: ObjectStore): Promise<{ c0: string; c1: string }> {
  const keys = runKeys(fixtureRun);
  const events = [
    ...['e1', 'e2', 'e3', 'e4'].map((id, n) => event(id, 1_700_000_000 + n, '10.9.0.1', 'c0')),
    ...['e5', 'e6'].map((id, n) => event(id, 1_700_100_000 + n, '172.16.4.4', 'c1')),
  ];
  await putJson(store, keys.eventOut, { run: fixtureRun, events });
  const ids = { c0: `${fixtureRun}--c0`, c1: `${fixtureRun}--c1` };
  for (const cluster of ['c0', 'c1'] as const) {
    const own = events.filter((e) => e.cluster === cluster);
    await putCampaign(store, {
      id: ids[cluster],
      run: fixtureRun,
      cluster,
      flow: 'f0',
      summary: `campaign ${cluster}`,
      description: '',
      size: own.length,
      alertIds: own.map((e) => e.id),
      start: own[0]!.time,
      end: own[own.length - 1]!.time,
      entities: [own[0]!.src, '10.0.0.5'],
      techniques: ['T1110'],
      tactics: ['TA0006'],
      priorities: { count: 0, mean: null, median: null },
      urls: [],
      alertsKey: keys.clusterAlerts(cluster),
      outputPrefix: keys.output,
    });
  }
  return ids;
}
