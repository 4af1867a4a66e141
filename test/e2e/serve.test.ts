import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedData } from '../helpers/shared-data.js';
import { cliEnv, ensureBuilt, repoRoot, runCli } from './cli.js';

const sample = sharedData('alerts/cypienta_splunk_cef_sample.json');
const internal = sharedData('alerts/internal/cptc2017_team1.json');

let dataDir: string;
beforeAll(() => {
  ensureBuilt();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-serve-'));
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function waitFor(check: () => boolean, what: string, limitMs = 120_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(sample.skip || internal.skip)('serve: the watcher plays S3 notifications', () => {
  it('starts a run per new object, lists it in status, stops cleanly on SIGTERM', async () => {
    const env = await cliEnv(dataDir);
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/starters/cli.js'), 'serve'], {
      env: { ...process.env, TEMPORAL_ADDRESS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      await waitFor(() => stdout.includes('serving:'), 'the serving line');
      const store = path.join(dataDir, 'store');
      mkdirSync(path.join(store, 'input'), { recursive: true });
      mkdirSync(path.join(store, 'splunk_input/input'), { recursive: true });
      copyFileSync(internal.path, path.join(store, 'input/team1.json'));
      copyFileSync(sample.path, path.join(store, 'splunk_input/input/bots.json'));

      const outputDir = path.join(store, 'output');
      const outputs = (): string[] => (existsSync(outputDir) ? readdirSync(outputDir) : []);
      await waitFor(
        () =>
          outputs().some((d) => d.startsWith('team1-')) &&
          outputs().some((d) => d.startsWith('bots-')),
        'both runs to write their output',
      );
      const status = await runCli(['status'], {
        ...env,
        TEMPORAL_ADDRESS: `127.0.0.1:${env.TEMPORAL_PORT}`,
      });
      expect(status.stdout).toMatch(/COMPLETED\s+\S+\s+ingest-team1-/);
      expect(status.stdout).toMatch(/splunk-bots-/);
      // The merged input/bots.json was seen by the watcher too, but ran only once.
      expect(status.stdout.match(/ingest-bots-/g)).toHaveLength(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const connection = await Connection.connect({
      address: `127.0.0.1:${env.TEMPORAL_PORT}`,
      connectTimeout: 1000,
    }).catch(() => undefined);
    expect(connection, 'the embedded server should have stopped').toBeUndefined();
  }, 240_000);
});
