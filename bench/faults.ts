import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Command } from 'commander';
import { loadConfig } from '../core/config.js';
import { runKeys } from '../core/keys.js';
import { createLogger } from '../core/logger.js';
import { LocalObjectStore, putJson, type ObjectStore } from '../core/store/index.js';
import { freePort, startDevServer, type DevServer } from '../core/temporal-server.js';
import { startIngest } from '../starters/start-run.js';
import type { IngestResult } from '../workflows/index.js';
import { generateAlerts } from './generator/generate.js';
import { SeededRandom } from './generator/random.js';

/**
 * Crash safety at scale: one generated file run undisturbed, then again while worker processes
 * are SIGKILLed and the embedded Temporal server is SIGKILLed and restarted on its SQLite file at
 * seeded points. Prints what it did, how long each run took and whether the outputs match.
 *
 *   node dist/bench/faults.js --alerts 100000 --worker-kills 3 --server-kills 1 --seed 7
 */
const opts = new Command()
  .option('--alerts <n>', 'alerts in the generated file', '100000')
  .option('--worker-kills <n>', 'worker SIGKILLs during the run', '3')
  .option('--server-kills <n>', 'server SIGKILLs and restarts during the run', '1')
  .option('--seed <n>', 'seeds the file and the kill points', '7')
  .parse()
  .opts<{ alerts: string; workerKills: string; serverKills: string; seed: string }>();
const repoRoot = path.resolve(import.meta.dirname, '../..');
const logger = createLogger('warn', 'bench');
const dir = mkdtempSync(path.join(os.tmpdir(), 'alert-pipeline-faults-bench-'));
const ports = { port: await freePort(), uiPort: await freePort() };
const address = `127.0.0.1:${ports.port}`;
const settings = {
  DATA_DIR: dir,
  TEMPORAL_ADDRESS: address,
  TASK_QUEUE: 'faults-bench',
  LOG_LEVEL: 'warn',
};
const config = loadConfig(settings);
const store = new LocalObjectStore(path.join(dir, 'store'));
const started = performance.now();
const say = (what: string) =>
  console.log(`${((performance.now() - started) / 1000).toFixed(1).padStart(7)}s  ${what}`);

const startServer = (): Promise<DevServer> =>
  startDevServer(
    {
      ...ports,
      dbFile: path.join(dir, 'temporal', 'temporal.db'),
      logFile: path.join(dir, 'temporal-server.log'),
      namespace: 'default',
    },
    logger,
  );

function startWorker(): ChildProcess {
  return spawn(process.execPath, [path.join(repoRoot, 'dist/workers/main.js')], {
    cwd: repoRoot,
    env: { ...process.env, ...settings },
    stdio: 'ignore',
  });
}

async function killWorker(worker: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  worker.kill('SIGKILL');
  await exited;
}

async function killServer(server: DevServer): Promise<void> {
  process.kill(server.pid!, 'SIGKILL');
  for (;;) {
    try {
      process.kill(server.pid!, 0);
      await new Promise((r) => setTimeout(r, 50));
    } catch {
      return;
    }
  }
}

const scratchObjects = async (run: string): Promise<number> =>
  (await store.list(`${runKeys(run).scratch}/`)).filter((k) => !k.includes('/cluster_alerts/'))
    .length;

async function outputs(s: ObjectStore, run: string): Promise<string[]> {
  const keys = runKeys(run);
  return Promise.all(
    [keys.eventOut, keys.clusterOut, keys.flowOut].map(async (k) =>
      (await s.get(k)).toString('utf8').replaceAll(run, '<run>'),
    ),
  );
}

let server = await startServer();
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const input = {
  input: [...generateAlerts({ alerts: Number(opts.alerts), seed: Number(opts.seed) })].map(
    (g) => g.alert,
  ),
};
await putJson(store, 'input/undisturbed.json', input);
await putJson(store, 'input/faulted.json', input);
say(`${opts.alerts} alerts generated (seed ${opts.seed}); server ${address}, data ${dir}`);

let worker = startWorker();
const reference = await startIngest(client, store, config, 'input/undisturbed.json');
const expected = (await reference.handle.result()) as IngestResult;
const total = await scratchObjects(expected.run);
say(`undisturbed run: ${expected.alerts} alerts, ${expected.clusters} clusters, ${total} objects`);

const random = new SeededRandom(Number(opts.seed));
const faults = [
  ...Array.from({ length: Number(opts.workerKills) }, () => 'worker' as const),
  ...Array.from({ length: Number(opts.serverKills) }, () => 'server' as const),
]
  .map((kind) => ({ kind, at: random.int(Math.ceil(total * 0.1), Math.floor(total * 0.85)) }))
  .sort((a, b) => a.at - b.at);
const faultedStart = performance.now();
const faulted = await startIngest(client, store, config, 'input/faulted.json');
for (const fault of faults) {
  while ((await scratchObjects(faulted.run)) < fault.at)
    await new Promise((r) => setTimeout(r, 25));
  if (fault.kind === 'worker') {
    await killWorker(worker);
    worker = startWorker();
    say(`worker SIGKILLed at ${fault.at}/${total} objects; a new one started`);
  } else {
    await killServer(server);
    say(`server SIGKILLed at ${fault.at}/${total} objects`);
    await new Promise((r) => setTimeout(r, random.int(200, 3000)));
    server = await startServer();
    say('server restarted on its database');
  }
}
let result: IngestResult | undefined;
while (!result) {
  try {
    result = (await faulted.handle.result()) as IngestResult;
  } catch (err) {
    if (!/UNAVAILABLE|connect/i.test(String(err))) throw err;
    await new Promise((r) => setTimeout(r, 500));
  }
}
const seconds = (performance.now() - faultedStart) / 1000;
const same =
  JSON.stringify(await outputs(store, result.run)) ===
  JSON.stringify(await outputs(store, expected.run));
// Every run of the continue-as-new chain and the flow child: retried attempts show in each.
let retried = 0;
const runsOf = client.workflow.list({
  query: `WorkflowId = "${faulted.workflowId}" OR WorkflowId = "${faulted.workflowId}/flow"`,
});
for await (const execution of runsOf) {
  const history = await client.workflow
    .getHandle(execution.workflowId, execution.runId)
    .fetchHistory();
  retried += (history.events ?? []).filter(
    (e) => (e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1,
  ).length;
}
say(
  `faulted run: ${seconds.toFixed(1)}s, ${result.clusters} clusters, ` +
    `${retried} activities retried; outputs ${same ? 'IDENTICAL' : 'DIFFERENT'}`,
);
await killWorker(worker);
await connection.close();
await server.stop();
rmSync(dir, { recursive: true, force: true });
process.exitCode = same ? 0 : 1;
