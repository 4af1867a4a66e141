import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { createLogger } from '../core/logger.js';
import { freePort, startDevServer } from '../core/temporal-server.js';
import { generateAlerts } from './generator/generate.js';
import { writeGenerated } from './generator/write.js';
import { stepTimes } from './history-timing.js';
import { mib, samplePeaks } from './process-memory.js';

/**
 * End-to-end figures at several sizes on the embedded defaults: wall time, alerts per second,
 * peak memory of the worker and of worker plus Temporal server, time per step from the workflow
 * histories, the share spent in Temporal round trips, and the floor (read, parse and write the
 * same data once) beside them.
 *
 *   node dist/bench/scale.js --sizes 10000,100000,1000000
 */
const opts = new Command()
  .option('--sizes <list>', 'alert counts', '10000,100000')
  .option('--seed <n>', 'generator seed', '1')
  .parse()
  .opts<{ sizes: string; seed: string }>();
const repoRoot = path.resolve(import.meta.dirname, '../..');
const logger = createLogger('warn', 'bench');

function floorSeconds(file: string): number {
  const t = performance.now();
  const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(`${file}.copy`, JSON.stringify(doc));
  rmSync(`${file}.copy`);
  return (performance.now() - t) / 1000;
}

async function measure(size: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-scale-'));
  const file = path.join(dir, `gen-${size}.json`);
  await writeGenerated(generateAlerts({ alerts: size, seed: Number(opts.seed) }), file, 'internal');
  const floor = floorSeconds(file);
  const server = await startDevServer(
    {
      port: await freePort(),
      uiPort: await freePort(),
      logFile: path.join(dir, 'server.log'),
      namespace: 'default',
    },
    logger,
  );
  const env = {
    ...process.env,
    DATA_DIR: dir,
    TEMPORAL_ADDRESS: server.address,
    LOG_LEVEL: 'warn',
  };
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [path.join(repoRoot, 'dist/starters/cli.js'), 'run', file, '--json'],
    { env, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const sampler = samplePeaks({ worker: () => child.pid, server: () => server.pid });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const seconds = (performance.now() - started) / 1000;
  const { peaks, together } = sampler.stop();
  if (code !== 0) throw new Error(`the main command exited with ${code} on ${size} alerts`);
  const [summary] = JSON.parse(stdout) as { workflowId: string }[];

  const connection = await Connection.connect({ address: server.address });
  const times = await stepTimes(new Client({ connection }), [
    summary!.workflowId,
    `${summary!.workflowId}/flow`,
  ]);
  await connection.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });

  const f = (n: number, digits = 1): string => n.toFixed(digits);
  const lines = [
    `${size.toLocaleString('en-US')} alerts`,
    `  wall ${f(seconds)} s (process start to exit), ${f(size / seconds, 0)} alerts/s`,
    `  floor ${f(floor, 2)} s (read, parse, write once); floor/wall ${f(floor / seconds, 3)}`,
    `  peak memory: worker ${mib(peaks.worker ?? 0)}, Temporal server ${mib(peaks.server ?? 0)}, ` +
      `together ${mib(together)}`,
    `  workflow time ${f(times.totalMs / 1000)} s, ` +
      `${f(times.temporalShare * 100, 0)}% of it outside activities (Temporal round trips)`,
  ];
  console.log(`\n${lines.join('\n')}`);
  const steps = [...times.perStep].sort((a, b) => b[1] - a[1]);
  for (const [step, stepMs] of steps)
    console.log(`    ${step.padEnd(20)} ${(stepMs / 1000).toFixed(2)} s`);
}

for (const size of opts.sizes.split(',').map(Number)) await measure(size);
