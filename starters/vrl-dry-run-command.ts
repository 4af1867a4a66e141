import { dryRunVrl } from '../activities/vrl/dry-run.js';
import { loadVrlPrograms } from '../activities/vrl/program-set.js';
import type { Config } from '../core/config.js';

export interface VrlDryRunOptions {
  program?: string;
  limit: number;
}

/**
 * Runs a VRL program (or the programs chosen by record shape, with the user's mappings) on a
 * sample file and prints the alerts, the records that would be quarantined, and VRL's
 * diagnostics. Nothing is written to the store. Exit code 1 when the program does not compile.
 */
export async function vrlDryRunCommand(sample: string, options: VrlDryRunOptions, config: Config) {
  const report = await dryRunVrl({
    sampleFile: sample,
    programFile: options.program,
    limit: options.limit,
    programs: options.program
      ? undefined
      : loadVrlPrograms({ dir: config.vrl.dir, mappings: config.vrl.mappings }),
  });
  for (const line of [...report.diagnostics.errors, ...report.diagnostics.warnings]) {
    process.stderr.write(`${line}\n`);
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return report.diagnostics.errors.length > 0 ? 1 : 0;
}
