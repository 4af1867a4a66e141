import { utimes } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { LocalObjectStore } from '../../core/store/index.js';
import { backfill, BackfillPrefixError, type BackfillDeps } from '../../starters/backfill.js';
import { backfillCommand } from '../../starters/backfill-command.js';
import { startRun, type StartedRun } from '../../starters/start-run.js';
import { useTemporalTestEnv, testConfig, testLogger } from '../helpers/temporal.js';

const env = useTemporalTestEnv();

/** A fresh store and task queue with no worker: started runs stay RUNNING, which is enough. */
function setup() {
  const config = testConfig(env);
  if (config.store.kind !== 'local') throw new Error('expected the local store');
  const store = new LocalObjectStore(config.store.root);
  return { config, store, deps: { client: env.client, store, config, logger: testLogger } };
}

async function putInputs(
  store: LocalObjectStore,
  prefix: string,
  count: number,
): Promise<string[]> {
  const keys = Array.from(
    { length: count },
    (_, i) => `${prefix}obj-${String(i).padStart(3, '0')}.json`,
  );
  // Run ids come from the base name and content: the prefix keeps files of other tests apart.
  await Promise.all(keys.map((key) => store.put(key, JSON.stringify({ input: [], key }))));
  return keys;
}

/** Wraps startRun to record how many starts are in flight at once and what each returned. */
function instrumented(deps: Omit<BackfillDeps, 'start'>, failKey?: string) {
  const stats = { inFlight: 0, maxInFlight: 0, results: [] as StartedRun[] };
  const start = async (key: string): Promise<StartedRun> => {
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    try {
      if (key === failKey) throw new Error('the object store refused the read');
      const run = await startRun(deps.client, deps.store, deps.config, key);
      stats.results.push(run);
      return run;
    } finally {
      stats.inFlight--;
    }
  };
  return { stats, deps: { ...deps, start } };
}

describe('backfill on a real Temporal server', () => {
  it('starts one run per object with bounded concurrency, and none on a second pass', async () => {
    const { store, deps } = setup();
    const keys = await putInputs(store, 'input/bulk/', 200);
    const first = instrumented(deps);
    const summary = await backfill('input/bulk/', { concurrency: 7 }, first.deps);
    expect(summary).toEqual({
      prefix: 'input/bulk/',
      listed: 200,
      started: 200,
      alreadyRan: 0,
      olderThanSince: 0,
      failed: [],
    });
    // Every lane starts its first object before any start completes, so the bound is reached.
    expect(first.stats.maxInFlight).toBe(7);
    expect(first.stats.results.map((r) => r.inputKey).sort()).toEqual(keys);
    const ids = new Set(first.stats.results.map((r) => r.workflowId));
    expect(ids.size).toBe(200);
    const described = await Promise.all(
      [...ids].map((id) => env.client.workflow.getHandle(id).describe()),
    );
    expect(new Set(described.map((d) => d.status.name))).toEqual(new Set(['RUNNING']));

    // The first runs are still RUNNING: a second pass must count them as already ran.
    const second = instrumented(deps);
    const again = await backfill('input/bulk/', { concurrency: 5 }, second.deps);
    expect([again.started, again.alreadyRan, again.failed]).toEqual([0, 200, []]);
    expect(second.stats.maxInFlight).toBe(5);
    const runIds = new Map(described.map((d) => [d.workflowId, d.runId]));
    for (const run of second.stats.results) {
      expect((await run.handle.describe()).runId).toBe(runIds.get(run.workflowId));
    }
  });

  it('keeps going past a failed object and names it in the summary', async () => {
    const { store, deps } = setup();
    const keys = await putInputs(store, 'input/some/', 6);
    const { deps: wrapped } = instrumented(deps, keys[2]);
    const outcomes: string[] = [];
    const summary = await backfill(
      'input/some/',
      { concurrency: 2 },
      {
        ...wrapped,
        onKey: (_key, outcome) => outcomes.push(outcome),
      },
    );
    expect(summary.started).toBe(5);
    expect(summary.failed).toEqual([{ key: keys[2], error: 'the object store refused the read' }]);
    expect(outcomes.filter((o) => o === 'failed')).toHaveLength(1);
    expect(outcomes).toHaveLength(6);
  });

  it('leaves out objects written before --since', async () => {
    const { store, deps } = setup();
    const keys = await putInputs(store, 'input/dated/', 5);
    const old = new Date('2024-01-01T00:00:00Z');
    for (const key of keys.slice(0, 3)) await utimes(store.describe(key), old, old);
    const summary = await backfill(
      'input/dated/',
      { concurrency: 3, since: new Date('2025-01-01T00:00:00Z') },
      deps,
    );
    expect([summary.started, summary.olderThanSince]).toEqual([2, 3]);
  });

  it('takes only inputs from a parent prefix and refuses prefixes that hold none', async () => {
    const { store, deps } = setup();
    await store.put('splunk_input/input/export.json', '[]');
    await store.put('splunk_input/scratch/chunk-00001.json', '[]');
    const summary = await backfill('splunk_input/', { concurrency: 2 }, deps);
    expect([summary.listed, summary.started]).toEqual([1, 1]);
    await expect(backfill('scratch/', { concurrency: 2 }, deps)).rejects.toThrow(
      BackfillPrefixError,
    );
  });

  it('prints a summary, JSON on request, and exits 2 for a prefix with no inputs', async () => {
    const { store, config } = setup();
    await putInputs(store, 'input/cmd/', 4);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const code = await backfillCommand(
        'input/cmd/',
        { concurrency: 2, json: false },
        config,
        testLogger,
      );
      const again = await backfillCommand(
        'input/cmd/',
        { concurrency: 2, json: true },
        config,
        testLogger,
      );
      expect([code, again]).toEqual([0, 0]);
      const text = out.mock.calls.map((c) => String(c[0])).join('');
      expect(text).toContain('backfill input/cmd/: 4 objects');
      expect(text).toMatch(/started +4/);
      expect(JSON.parse(text.slice(text.indexOf('{')))).toMatchObject({
        started: 0,
        alreadyRan: 4,
      });
      expect(
        await backfillCommand('output/', { concurrency: 1, json: false }, config, testLogger),
      ).toBe(2);
    } finally {
      out.mockRestore();
    }
  });
});
