#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { backfillCommand, type BackfillCommandOptions } from './backfill-command.js';
import { cancelCommand } from './cancel-command.js';
import { healthCommand } from './health-command.js';
import { replayCommand, type ReplayOptions } from './replay-command.js';
import { runCommand, serveUntilSignal, type RunOptions } from './run-command.js';
import { statusCommand } from './status-command.js';
import { evaluateCommand } from './evaluate-command.js';
import { trainTechniquesCommand } from './train-command.js';
import { vrlDryRunCommand, type VrlDryRunOptions } from './vrl-dry-run-command.js';
import { openHost } from './host.js';
import { uiCommand } from './ui-command.js';

type Action = (config: Config, logger: Logger) => Promise<number>;

/** Loads and checks the configuration first, so a bad setting stops the command with its name. */
async function withConfig(action: Action): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  try {
    process.exitCode = await action(config, logger);
  } catch (err) {
    logger.error({ err: (err as Error).message }, 'command failed');
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}

const program = new Command()
  .name('alert-pipeline')
  .description('Correlates SIEM alerts into attack campaigns on Temporal');

program
  .command('run')
  .description('run alert files (or a folder of them, or store keys) through the whole pipeline')
  .argument('<inputs...>', 'files, folders, or object keys under input/')
  .option('--serve', 'keep serving afterwards: worker, Web UI, and a watcher on input/', false)
  .option('--json', 'print the summaries as JSON', false)
  .addOption(
    new Option('--source <kind>', 'internal format, or a SIEM export to map with VRL')
      .choices(['auto', 'internal', 'splunk'])
      .default('auto'),
  )
  .action((inputs: string[], opts: RunOptions) =>
    withConfig((config, logger) => runCommand(inputs, opts, config, logger)),
  );

program
  .command('serve')
  .description('run the worker, the Web UI and the campaign UI; start a run per new input/ object')
  .action(() =>
    withConfig(async (config, logger) => {
      const host = await openHost(config, logger, { worker: true });
      try {
        await serveUntilSignal(host, logger);
      } finally {
        await host.close();
      }
      return 0;
    }),
  );

program
  .command('ui')
  .description('serve the campaign UI alone (needs UI_TOKEN); workers run elsewhere')
  .action(() => withConfig(uiCommand));

program
  .command('watch')
  .description('start a run for every new object in input/ and splunk_input/input/, no worker')
  .action(() =>
    withConfig(async (config, logger) => {
      const host = await openHost(config, logger, { worker: false });
      try {
        await serveUntilSignal(host, logger);
      } finally {
        await host.close();
      }
      return 0;
    }),
  );

function parseSince(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError('expected an ISO date, e.g. 2025-03-01 or 2025-03-01T08:00Z');
  }
  return date;
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new InvalidArgumentError('expected a whole number from 1 to 256');
  }
  return n;
}

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) {
    throw new InvalidArgumentError('expected a whole number from 1 to 100000');
  }
  return n;
}

program
  .command('backfill')
  .description('start a run for every input under a store prefix that has not run yet')
  .argument('<prefix>', 'e.g. input/ or splunk_input/input/2025-03-')
  .option('--since <date>', 'only objects written at or after this ISO date', parseSince)
  .option('--concurrency <n>', 'runs started at once', parseConcurrency, 8)
  .option('--json', 'print the summary as JSON', false)
  .action((prefix: string, opts: BackfillCommandOptions) =>
    withConfig((config, logger) => backfillCommand(prefix, opts, config, logger)),
  );

program
  .command('health')
  .description('exit 0 when Temporal answers (and, with --pollers, a worker polls the queue)')
  .option('--pollers', 'also require a worker polling TASK_QUEUE', false)
  .action((opts: { pollers: boolean }) =>
    withConfig((config, logger) => healthCommand(opts, config, logger)),
  );

program
  .command('status')
  .description("show a run's progress, or list the latest runs")
  .argument('[workflowId]', 'the run, e.g. ingest-day1-3fa9c0d2e1b4')
  .action((workflowId: string | undefined) =>
    withConfig((config, logger) => statusCommand(workflowId, config, logger)),
  );

program
  .command('cancel')
  .description('ask a running run to stop; it closes as cancelled, with its child workflows')
  .argument('<workflowId>', 'the run, e.g. ingest-day1-3fa9c0d2e1b4')
  .action((workflowId: string) =>
    withConfig((config, logger) => cancelCommand(workflowId, config, logger)),
  );

program
  .command('replay')
  .description("replay a run's history (every run of a continue-as-new chain) against this code")
  .argument(
    '<workflowId>',
    'the run, e.g. ingest-day1-3fa9c0d2e1b4 or ingest-day1-3fa9c0d2e1b4/flow',
  )
  .option('--run-id <runId>', 'only this run of the chain')
  .option('--save <dir>', 'also write each history as JSON, e.g. test/histories/')
  .action((workflowId: string, opts: ReplayOptions) =>
    withConfig((config, logger) => replayCommand(workflowId, opts, config, logger)),
  );

program
  .command('vrl-dry-run')
  .description('map a sample export with VRL and print the alerts, failures and diagnostics')
  .argument('<sample>', 'a sample file: JSON array, {"input": [...]}, JSON lines, gzip')
  .option('--program <file.vrl>', 'the program to try (default: chosen by record shape)')
  .option('--limit <n>', 'records to map (at most 100000)', parseLimit, 100)
  .action((sample: string, opts: VrlDryRunOptions) =>
    withConfig((config) => vrlDryRunCommand(sample, opts, config)),
  );

program
  .command('evaluate')
  .description('score the local models on the labelled data, beside baselines; writes a report')
  .option('--data <dir>', 'the labelled data folder (default ../shared/data)')
  .option('--out <file>', 'the JSON report', 'evaluation-report.json')
  .option('--limit <n>', 'alerts per labelled set (default all)', parseLimit)
  .action((opts: { data?: string; out: string; limit?: number }) =>
    withConfig((config) =>
      evaluateCommand({
        dataDir: opts.data,
        out: opts.out,
        limit: opts.limit,
        batchSize: config.pipeline.clusterBatchSize,
        windowSeconds: config.pipeline.clusterWindowSeconds,
      }),
    ),
  );

program
  .command('train-techniques')
  .description('train the technique text model from labelled rule titles (for TECHNIQUE_MODEL)')
  .requiredOption('--out <file>', 'the model file to write')
  .option('--titles <file>', '{name, techniques} JSON lines (default the shared dev.jsonl)')
  .action((opts: { out: string; titles?: string }) =>
    withConfig(() => trainTechniquesCommand(opts)),
  );

await program.parseAsync(process.argv);
