import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { createLogger } from '../core/logger.js';
import { freePort, startDevServer } from '../core/temporal-server.js';
import { generateAlerts } from './generator/generate.js';
import { writeGenerated } from './generator/write.js';
import { stepTimes } from './history-timing.js';
import { mib, peakWithin, samplePeaks, type MemorySample } from './process-memory.js';

/**
 * End-to-end figures at several sizes on the embedded defaults: wall time, alerts per second,
 * peak memory of the worker and of worker plus Temporal server, time per step from the workflow
 * histories, the share spent in Temporal round trips, and the floor (read, parse and write the
 * same data once) beside them.
 *
 *   node dist/bench/scale.js --sizes 10000,100000,250000,1000000 [--cpu-prof <dir>]
 */
const opts = new Command()
  .option('--sizes <list>', 'alert counts', '10000,100000,250000')
  .option('--seed <n>', 'generator seed', '1')
  .option('--cpu-prof <dir>', "write a CPU profile of the worker's process to this folder")
  .parse()
  .opts<{ sizes: string; seed: string; cpuProf?: string }>();
const repoRoot = path.resolve(import.meta.dirname, '../..');
const attackBundle = path.resolve(repoRoot, '../shared/data/attack/enterprise-attack.json');
const logger = createLogger('warn', 'bench');

/** The least any pipeline must do with the file: read it, parse it, write it back once. */
function floorSeconds(file: string): number {
  const t = performance.now();
  const doc: unknown = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(`${file}.copy`, JSON.stringify(doc));
  rmSync(`${file}.copy`);
  return (performance.now() - t) / 1000;
}

/** The `--json` summary; the Temporal core may print its own warnings on stdout before it. */
function runSummaries(stdout: string): { workflowId: string; error?: string }[] {
  // The array's own lines only: a warning printed after it must not break the parse.
  const start = stdout.search(/^\[$/m);
  const end = stdout.indexOf('\n]', start);
  if (start < 0 || end < 0) {
    throw new Error(`no run summary in the main command's output:\n${stdout}`);
  }
  return JSON.parse(stdout.slice(start, end + 2)) as { workflowId: string; error?: string }[];
}

interface Measured {
  seconds: number;
  peaks: Record<string, number>;
  together: number;
  cpuSeconds: Record<string, number>;
  timeline: MemorySample[];
  times: Awaited<ReturnType<typeof stepTimes>>;
}

/** One run of the main command on the file, against a Temporal server that is always stopped. */
async function runOnce(dir: string, file: string, size: number): Promise<Measured> {
  const server = await startDevServer(
    {
      port: await freePort(),
      uiPort: await freePort(),
      logFile: path.join(dir, 'server.log'),
      namespace: 'default',
    },
    logger,
  );
  try {
    const env = {
      ...process.env,
      DATA_DIR: dir,
      TEMPORAL_ADDRESS: server.address,
      LOG_LEVEL: 'warn',
      // With ATT&CK, clusters get tactics and reach the ticket thresholds, as in production.
      ...(existsSync(attackBundle) && !process.env.ATTACK_BUNDLE
        ? { ATTACK_BUNDLE: attackBundle }
        : {}),
    };
    const profile = opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProf}`] : [];
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...profile, path.join(repoRoot, 'dist/starters/cli.js'), 'run', file, '--json'],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const sampler = samplePeaks({ worker: () => child.pid, server: () => server.pid });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const seconds = (performance.now() - started) / 1000;
    const { peaks, together, cpuSeconds, timeline } = sampler.stop();
    const [summary] = runSummaries(stdout);
    if (code !== 0 || !summary || summary.error) {
      throw new Error(`the main command exited with ${code} on ${size} alerts: ${summary?.error}`);
    }
    const connection = await Connection.connect({ address: server.address });
    try {
      const times = await stepTimes(new Client({ connection }), [summary.workflowId]);
      return { seconds, peaks, together, cpuSeconds, timeline, times };
    } finally {
      await connection.close();
    }
  } finally {
    await server.stop();
  }
}

async function measure(size: number): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-scale-'));
  const file = path.join(dir, `gen-${size}.json`);
  let measured: Measured;
  let floor: number;
  let megabytes: number;
  try {
    await writeGenerated(
      generateAlerts({ alerts: size, seed: Number(opts.seed) }),
      file,
      'internal',
    );
    megabytes = statSync(file).size / 2 ** 20;
    floor = floorSeconds(file);
    measured = await runOnce(dir, file, size);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { seconds, peaks, together, cpuSeconds, timeline, times } = measured;

  const f = (n: number, digits = 1): string => n.toFixed(digits);
  const lines = [
    `${size.toLocaleString('en-US')} alerts (${f(megabytes)} MiB)`,
    `  wall ${f(seconds)} s (process start to exit), ${f(size / seconds, 0)} alerts/s`,
    `  floor ${f(floor, 2)} s (read, parse, write once), ${f(size / floor, 0)} alerts/s; ` +
      `ratio floor/wall ${f(floor / seconds, 3)}`,
    `  peak memory: worker ${mib(peaks.worker ?? 0)}, Temporal server ${mib(peaks.server ?? 0)}, ` +
      `together ${mib(together)}`,
    `  CPU time (user + system; less moved by other load than wall time): worker ` +
      `${f(cpuSeconds.worker ?? 0)} s, Temporal server ${f(cpuSeconds.server ?? 0)} s`,
    `  workflow time ${f(times.totalMs / 1000)} s (the rest of the wall is start-up, copying ` +
      `the file in and shut-down), ${f(times.temporalShare * 100, 0)}% of it outside ` +
      'activities (Temporal round trips)',
  ];
  console.log(`\n${lines.join('\n')}`);
  const steps = [...times.perStep].sort((a, b) => b[1] - a[1]);
  console.log('    step                   time      peak memory, worker and server, while it ran');
  for (const [step, stepMs] of steps) {
    const seconds = (stepMs / 1000).toFixed(2).padStart(6);
    const peak = mib(peakWithin(timeline, times.intervals.get(step) ?? [])).padStart(9);
    console.log(`    ${step.padEnd(22)} ${seconds} s  ${peak}`);
  }
}

for (const size of opts.sizes.split(',').map(Number)) await measure(size);
