import { describe, expect, it, vi } from 'vitest';
import { healthCommand } from '../../starters/health-command.js';
import {
  useTemporalTestEnv,
  testConfig,
  testDeps,
  testLogger,
  withWorker,
} from '../helpers/temporal.js';

const env = useTemporalTestEnv();

describe('the health command used by container health checks', () => {
  it('is healthy when Temporal answers, and with --pollers only while a worker polls', async () => {
    const config = testConfig(env);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await healthCommand({ pollers: false }, config, testLogger)).toBe(0);
      expect(await healthCommand({ pollers: true }, config, testLogger)).toBe(1);
      const whilePolling = await withWorker(env, await testDeps(config), async () => {
        // The worker's first poll reaches the server shortly after it starts running.
        for (let attempt = 0; attempt < 40; attempt++) {
          if ((await healthCommand({ pollers: true }, config, testLogger)) === 0) return 0;
          await new Promise((r) => setTimeout(r, 250));
        }
        return 1;
      });
      expect(whilePolling).toBe(0);
      expect(String(err.mock.calls[0]?.[0])).toContain(
        `no worker polls task queue ${config.temporal.taskQueue}`,
      );
    } finally {
      err.mockRestore();
      out.mockRestore();
    }
  });
});
