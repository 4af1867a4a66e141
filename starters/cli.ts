#!/usr/bin/env node
import { Command, Option } from 'commander';
import { ConfigError, loadConfig, type Config } from '../core/config.js';
import { createLogger, type Logger } from '../core/logger.js';
import { runCommand, serveUntilSignal, type RunOptions } from './run-command.js';
import { statusCommand } from './status-command.js';
import { openHost } from './host.js';

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
  .description('run the worker and the Web UI, and start a run for every new object in input/')
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
  .command('status')
  .description("show a run's progress, or list the latest runs")
  .argument('[workflowId]', 'the run, e.g. ingest-day1-3fa9c0d2e1b4')
  .action((workflowId: string | undefined) =>
    withConfig((config, logger) => statusCommand(workflowId, config, logger)),
  );

await program.parseAsync(process.argv);
