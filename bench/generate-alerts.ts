import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultGeneratorOptions, generateAlerts } from './generator/generate.js';
import { writeGenerated, type GeneratedFormat } from './generator/write.js';

/**
 * Writes a realistic, labelled alert file of any size:
 *   node dist/bench/generate-alerts.js --alerts 100000 --seed 7 --format internal --out a.json
 */
const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number');
  return n;
};

const program = new Command()
  .name('generate-alerts')
  .requiredOption('--out <file>', 'where to write; labels go to <file>.labels.jsonl')
  .option('--alerts <n>', 'how many alerts', count, defaultGeneratorOptions.alerts)
  .option('--seed <n>', 'the same seed gives the same file', count, defaultGeneratorOptions.seed)
  .option('--campaigns <n>', 'attack campaigns mixed in', count, defaultGeneratorOptions.campaigns)
  .addOption(
    new Option('--format <format>', 'internal format or a Splunk export')
      .choices(['internal', 'splunk'])
      .default('internal'),
  );
program.parse();
const opts = program.opts<{
  out: string;
  alerts: number;
  seed: number;
  campaigns: number;
  format: GeneratedFormat;
}>();
const written = await writeGenerated(
  generateAlerts({ alerts: opts.alerts, seed: opts.seed, campaigns: opts.campaigns }),
  opts.out,
  opts.format,
);
console.log(`${written} alerts written to ${opts.out} (${opts.format}), labels beside it`);
