import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, type Config } from '../../core/config.js';
import { createObjectStore, putJson, type ObjectStore } from '../../core/store/index.js';
import { freePort, startDevServer, type DevServer } from '../../core/temporal-server.js';
import { generateAlerts } from '../../bench/generator/generate.js';
import { ensureBuilt } from '../e2e/cli.js';
import { testLogger } from '../helpers/temporal.js';
import { startWorkerProcess, waitFor, type WorkerProcess } from '../workers/worker-process.js';

/**
 * A Temporal dev server that keeps its state in a SQLite file, so it can be SIGKILLed and
 * started again on the same ports with every run intact, as the embedded server is in production.
 */
export class RestartableServer {
  private server?: DevServer;

  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly uiPort: number,
  ) {}

  static async start(dir: string): Promise<RestartableServer> {
    const server = new RestartableServer(dir, await freePort(), await freePort());
    await server.restart();
    return server;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async restart(): Promise<void> {
    this.server = await startDevServer(
      {
        port: this.port,
        uiPort: this.uiPort,
        dbFile: path.join(this.dir, 'temporal', 'temporal.db'),
        logFile: path.join(this.dir, 'temporal-server.log'),
        namespace: 'default',
      },
      testLogger,
    );
    if (this.server.reused) throw new Error(`a server was already running on ${this.address}`);
  }

  /** SIGKILL: no shutdown, no flush beyond what SQLite already committed. */
  async kill(): Promise<void> {
    const pid = this.server?.pid;
    if (pid === undefined) throw new Error('the server is not running');
    process.kill(pid, 'SIGKILL');
    await waitFor('the killed server to exit', async () => (isAlive(pid) ? undefined : true));
    this.server = undefined;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One fault scenario: its own folder, server, client and task queue. */
export interface FaultEnv {
  dir: string;
  server: RestartableServer;
  client: Client;
  connection: Connection;
  stop(): Promise<void>;
}

export async function startFaultEnv(): Promise<FaultEnv> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-faults-'));
  const server = await RestartableServer.start(dir);
  const connection = await Connection.connect({ address: server.address });
  return {
    dir,
    server,
    connection,
    client: new Client({ connection }),
    async stop() {
      await connection.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Small chunks and batches so that even a modest file spans dozens of activities. */
export const faultTuning = { CHUNK_SIZE: '1000', CLUSTER_BATCH_SIZE: '500' };

let scenarioCounter = 0;

/** Settings for one scenario: its own data folder and task queue on the fault server. */
export function scenarioSettings(
  env: FaultEnv,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const name = `faults-${process.pid}-${++scenarioCounter}`;
  return {
    ...faultTuning,
    DATA_DIR: path.join(env.dir, name),
    TEMPORAL_ADDRESS: env.server.address,
    TASK_QUEUE: name,
    LOG_LEVEL: 'warn',
    SHUTDOWN_GRACE_SECONDS: '1',
    ...overrides,
  };
}

export function scenarioConfig(settings: Record<string, string>): Config {
  return loadConfig(settings);
}

export function scenarioStore(config: Config): ObjectStore {
  return createObjectStore(config.store);
}

/** A generated, realistic alert file (seeded), in the internal format. */
export function generatedInput(alerts: number, seed: number): unknown {
  return { input: [...generateAlerts({ alerts, seed })].map((item) => item.alert) };
}

export async function putInput(store: ObjectStore, key: string, body: unknown): Promise<void> {
  await putJson(store, key, body);
}

/** Starts a worker process with the scenario's settings; stops every one it started at the end. */
export class WorkerFleet {
  readonly started: WorkerProcess[] = [];

  constructor(private readonly settings: Record<string, string>) {}

  start(args: string[] = []): WorkerProcess {
    const worker = startWorkerProcess(this.settings, args);
    this.started.push(worker);
    return worker;
  }

  async stopAll(): Promise<void> {
    for (const worker of this.started) worker.signal('SIGTERM');
    await Promise.all(this.started.map((w) => w.exited));
  }
}

/** Worker processes must run the current sources: see ensureBuilt. */
export const ensureFreshDist = ensureBuilt;
