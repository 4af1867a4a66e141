import { describe, expect, it } from 'vitest';
import { applyCutToWeights, changedWeights } from '../../activities/feedback/weights.js';
import type { EventRecord } from '../../core/output-formats.js';

const event = (id: string, src: string, dst: string, attrs = {}): EventRecord => ({
  id,
  time: 0,
  src,
  dst,
  name: 'x',
  cluster: 'c0',
  flow: 'f0',
  techniques: [],
  tactics: [],
  other_attributes_dict: attrs,
});

const noAnalystWeights = { eventWeights: {}, nodeWeights: {}, nodeFeature: {} };

describe('weights after a cut', () => {
  it('weakens entities tying the moved events to their old campaign, strengthens new ties', () => {
    const after = applyCutToWeights(
      { node: { 'HOST-A': 0.1 }, event: {} },
      {
        moved: [event('m1', 'Host-A', '10.0.0.5'), event('m2', 'host-b', '10.0.0.9')],
        stayed: [event('s1', 'host-a', '10.0.0.5')],
        joined: [event('j1', 'host-b', '10.0.0.7')],
        ...noAnalystWeights,
      },
    );
    // 10.0.0.5 goes from the default 1 to 0.75; host-a (0.1, keyed as the clusterer reads it)
    // would go below 0 and stops at 0.
    expect(after.node).toEqual({ 'host-a': 0, '10.0.0.5': 0.75, 'host-b': 1.25 });
    expect(after.event).toEqual({});
  });

  it('adds the analyst weights for the attribute values the moved events carry', () => {
    const before = { node: { 'feature:OS=Linux': 0.5 }, event: { 'port=22': -0.5 } };
    const after = applyCutToWeights(before, {
      moved: [event('m1', 'host-a', 'db-1', { port: 22, priority: 3, url: 'http://x.test/a' })],
      stayed: [],
      joined: [],
      eventWeights: { port: 0.5, priority: 1, url_host: 2, user_agent: 3 },
      nodeWeights: { OS: 0.25, user_group: 0 },
      nodeFeature: { 'HOST-A': { OS: 'Windows', user_group: 'HR' }, 'db-1': { OS: 'Linux' } },
    });
    // 0.5 added to -0.5 is the default again, so the entry goes.
    expect(after.event).toEqual({ 'priority=3': 1, 'url_host=x.test': 2 });
    expect(after.node).toEqual({ 'feature:OS=Linux': 0.75, 'feature:OS=Windows': 0.25 });
    expect(changedWeights(before, after)).toBe(5);
  });

  it('changes nothing with default weights and no entity on one side only', () => {
    const before = { node: {}, event: {} };
    const after = applyCutToWeights(before, {
      moved: [event('m1', 'host-a', '-')],
      stayed: [event('s1', 'host-a', '')],
      joined: [event('j1', 'host-a', 'n/a')],
      ...noAnalystWeights,
    });
    expect(after).toEqual(before);
    expect(changedWeights(before, after)).toBe(0);
  });
});
