import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../core/store/index.js';
import { watchStore } from '../../starters/watcher.js';

/** A real local store that counts the watcher's polls and can act at the start of each one. */
class PollingStore extends LocalObjectStore {
  polls = 0;
  beforePoll: (() => Promise<void>) | undefined;
  private waiters: { at: number; resolve: () => void }[] = [];

  override async list(prefix: string): Promise<string[]> {
    if (prefix === 'input/') {
      await this.beforePoll?.();
      this.polls++;
      for (const w of this.waiters.filter((w) => this.polls >= w.at)) w.resolve();
    }
    return super.list(prefix);
  }

  /** Resolves once `n` more polls have finished listing (and the one before has completed). */
  nextPolls(n: number): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ at: this.polls + n + 1, resolve }));
  }
}

describe('watchStore', () => {
  let dir: string;
  let store: PollingStore;
  let stop: (() => Promise<void>) | undefined;
  const logged: string[] = [];
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(line) });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'watcher-'));
    store = new PollingStore(dir);
    logged.length = 0;
  });
  afterEach(async () => {
    await stop?.();
    stop = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  function watch(onObject: (key: string) => Promise<void>): void {
    const prefixes = ['input/', 'splunk_input/input/'];
    stop = watchStore({ store, prefixes, intervalMs: 5, logger, onObject }).stop;
  }

  it('reports a new object once, after it is unchanged in two polls', async () => {
    const seen: { key: string; poll: number }[] = [];
    watch(async (key) => void seen.push({ key, poll: store.polls }));
    let firstSeen = 0;
    store.beforePoll = async () => {
      store.beforePoll = undefined;
      firstSeen = store.polls + 1;
      await store.put('input/day1.json', '{"input": []}');
      await store.put('splunk_input/input/export.json', '[]');
    };
    await store.nextPolls(6);
    const keys = seen.map((s) => s.key).sort();
    expect(keys).toEqual(['input/day1.json', 'splunk_input/input/export.json']);
    expect(seen.map((s) => s.poll)).toEqual([firstSeen + 1, firstSeen + 1]);
  });

  it('leaves an object alone while it changes, and never reports empty ones', async () => {
    const seen: string[] = [];
    let size = 1;
    store.beforePoll = async () => {
      await store.put('input/growing.json', 'x'.repeat(size++));
    };
    await store.put('input/empty.json', '');
    watch(async (key) => void seen.push(key));
    await store.nextPolls(6);
    expect(seen).toEqual([]);
    store.beforePoll = undefined;
    await store.nextPolls(4);
    expect(seen).toEqual(['input/growing.json']);
  });

  it('retries a failing onObject on the next poll, and logs the failure', async () => {
    const attempts: number[] = [];
    watch(async () => {
      attempts.push(store.polls);
      if (attempts.length < 3) throw new Error('temporal unavailable');
    });
    await store.put('input/day2.json', '{}');
    await store.nextPolls(8);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts).size).toBe(3);
    expect(logged.filter((l) => l.includes('temporal unavailable'))).toHaveLength(2);
    expect(logged[0]).toContain('input/day2.json');
  });

  it('stops polling once stopped', async () => {
    watch(async () => undefined);
    await store.nextPolls(2);
    await stop?.();
    stop = undefined;
    const after = store.polls;
    await new Promise((r) => setTimeout(r, 50));
    expect(store.polls).toBeLessThanOrEqual(after + 1);
  });
});
