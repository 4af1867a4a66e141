import { describe, expect, it } from 'vitest';
import {
  buildTicketContent,
  fitDescription,
  meetsThresholds,
  priorityStats,
  ticketMark,
} from '../../activities/tickets/content.js';
import type { EnrichAlertInput } from '../../core/output-formats.js';

const where = {
  eventFile: '/store/output/r/event.json',
  clusterFile: '/store/output/r/cluster.json',
  flowFile: '/store/output/r/flow.json',
  clusterAlerts: '/store/scratch/r/cluster_alerts/c0.json',
};

const entry = (id: string, size: number, tactics: string[]) => ({
  cluster: {
    id,
    alert_ids: Array.from({ length: size }, (_, n) => `${id}-${n}`),
    start: 1_700_000_000,
    end: 1_700_000_600,
    size,
    entities: ['10.9.0.1', '10.0.0.5'],
    techniques: ['T1110'],
    tactics,
  },
  flow: 'f0',
  priorities: [3, 1, 2, 10],
  urls: [],
  alertsKey: `scratch/r/cluster_alerts/${id}.json`,
});

describe('ticket content', () => {
  it('gives mean and median of the priorities', () => {
    expect(priorityStats([3, 1, 2, 10])).toEqual({ count: 4, mean: 4, median: 2.5 });
    expect(priorityStats([])).toEqual({ count: 0, mean: null, median: null });
  });

  it('names alerts, clusters of the flow, tactics, timeframe and where the JSON is', () => {
    const input: EnrichAlertInput = {
      run: 'r',
      outputPrefix: 'output/r',
      clusters: [entry('c0', 3, ['TA0006']), entry('c1', 1, [])],
    };
    const content = buildTicketContent(input, input.clusters[0]!, where);
    expect(content.summary).toBe(
      'Attack campaign c0 of r: 3 alerts, 1 tactics, 10.9.0.1, 10.0.0.5',
    );
    expect(content.description).toContain('Clusters in the same flow: c0, c1');
    expect(content.description).toContain('2023-11-14T22:13:20.000Z to 2023-11-14T22:23:20.000Z');
    expect(content.description).toContain('Priorities: 4 values, mean 4, median 2.5');
    expect(content.description).toContain('URLs: (none)');
    expect(content.description).toContain('events: /store/output/r/event.json');
    expect(content.description).toContain('Alert ids (3): c0-0, c0-1, c0-2');
  });

  it('applies both thresholds', () => {
    const limits = { eventThreshold: 2, tacticThreshold: 1 };
    expect(meetsThresholds(entry('c0', 3, ['TA0006']), limits)).toBe(true);
    expect(meetsThresholds(entry('c0', 1, ['TA0006']), limits)).toBe(false);
    expect(meetsThresholds(entry('c0', 3, []), limits)).toBe(false);
  });

  it('cuts a long description at a line and points at the attached file', () => {
    const content = {
      subject: 'c0',
      summary: 's',
      description: 'line\n'.repeat(10_000),
      priorities: priorityStats([]),
    };
    const fitted = fitDescription(content, 1000, 'description-c0.txt');
    expect(fitted.attachWhole).toBe(true);
    expect(fitted.text.length).toBeLessThanOrEqual(1000);
    expect(fitted.text).toMatch(/line\n\n\[Description too long.*in description-c0\.txt\]$/);
    expect(fitDescription(content, 100_000, 'x').attachWhole).toBe(false);
  });

  it('marks tickets per run, cluster and generation', () => {
    expect(ticketMark('r', 'c0', 0)).toMatch(/^alertpipe-[0-9a-f]{20}$/);
    expect(ticketMark('r', 'c0', 0)).toBe(ticketMark('r', 'c0', 0));
    expect(
      new Set([ticketMark('r', 'c0', 0), ticketMark('r', 'c0', 1), ticketMark('r', 'c1', 0)]).size,
    ).toBe(3);
  });
});
