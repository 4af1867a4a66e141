import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it, vi } from 'vitest';
import { putJson } from '../../core/store/index.js';
import { cancelCommand } from '../../starters/cancel-command.js';
import { replayCommand } from '../../starters/replay-command.js';
import { startIngest } from '../../starters/start-run.js';
import { twoCampaigns } from '../helpers/alerts.js';
import {
  useTemporalTestEnv,
  testConfig,
  testDeps,
  testLogger,
  withWorker,
} from '../helpers/temporal.js';

const env = useTemporalTestEnv();

/** Runs a command with stdout and stderr captured. */
async function captured(command: () => Promise<number>) {
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const code = await command();
    const text = (spy: typeof out) => spy.mock.calls.map((c) => String(c[0])).join('');
    return { code, stdout: text(out), stderr: text(err) };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('cancel', () => {
  it('cancels a running run; refuses a closed or unknown one', async () => {
    const config = testConfig(env);
    const deps = await testDeps(config);
    await putJson(deps.store, 'input/to-cancel.json', twoCampaigns);
    const started = await startIngest(env.client, deps.store, config, 'input/to-cancel.json');

    // No worker polls yet: the run waits at its first task, as a queued run in production.
    const cancelled = await captured(() => cancelCommand(started.workflowId, config, testLogger));
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toContain(`cancellation requested for ${started.workflowId}`);

    const failure = await withWorker(env, deps, () => started.handle.result().catch((e) => e));
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect((await started.handle.describe()).status.name).toBe('CANCELLED');

    const again = await captured(() => cancelCommand(started.workflowId, config, testLogger));
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already CANCELLED') });
    const unknown = await captured(() => cancelCommand('ingest-nothing-0', config, testLogger));
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no workflow') });
  });
});

describe('replay', () => {
  it('replays every run of a continue-as-new chain against the current code', async () => {
    const config = testConfig(env, {
      CLUSTER_BATCH_SIZE: '5',
      BATCHES_BEFORE_CONTINUE_AS_NEW: '3',
    });
    const deps = await testDeps(config);
    await putJson(deps.store, 'input/chain.json', twoCampaigns);
    const started = await startIngest(env.client, deps.store, config, 'input/chain.json');
    const result = await withWorker(env, deps, () => started.handle.result());
    expect(result.continuedAsNew).toBe(2);

    const saveDir = mkdtempSync(path.join(os.tmpdir(), 'replay-save-'));
    const replayed = await captured(() =>
      replayCommand(started.workflowId, { save: saveDir }, config, testLogger),
    );
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    const lines = replayed.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((l) => l.startsWith(`ok      ${started.workflowId} run `))).toBe(true);
    expect(lines.map((l) => l.match(/\((\d)\/3,/)?.[1])).toEqual(['1', '2', '3']);

    // The saved files are the format the saved-history replay tests read.
    const saved = readdirSync(saveDir);
    expect(saved).toHaveLength(3);
    const first = JSON.parse(readFileSync(path.join(saveDir, saved[0]!), 'utf8')) as {
      workflowId: string;
      history: { events: unknown[] };
    };
    expect(first.workflowId).toBe(started.workflowId);
    expect(first.history.events.length).toBeGreaterThan(5);

    const child = await captured(() =>
      replayCommand(`${started.workflowId}/flow`, {}, config, testLogger),
    );
    expect(child).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok {6}.*\/flow run/) });
  });

  it('prints the determinism error for a run recorded by different workflow code', async () => {
    const config = testConfig(env);
    const workflowBundle = await bundleWorkflowCode({
      workflowsPath: path.resolve(import.meta.dirname, 'fixtures/changed-flow.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    const worker = await Worker.create({
      connection: env.workerConnection,
      taskQueue: config.temporal.taskQueue,
      workflowBundle,
    });
    const workflowId = 'ingest-old-code-0/flow';
    await worker.runUntil(
      env.client.workflow.execute('flowWorkflow', {
        workflowId,
        taskQueue: config.temporal.taskQueue,
        args: [{ run: 'old-code-0' }],
      }),
    );

    const replayed = await captured(() => replayCommand(workflowId, {}, config, testLogger));
    expect(replayed.code).toBe(1);
    expect(replayed.stdout).toContain(`FAILED  ${workflowId} run `);
    expect(replayed.stdout).toMatch(/DeterminismViolationError: .*[Nn]ondetermin/);
    const unknown = await captured(() => replayCommand('ingest-none-0', {}, config, testLogger));
    expect(unknown).toMatchObject({ code: 1, stderr: expect.stringContaining('no workflow') });
  });
});
