import { createReadStream } from 'node:fs';
import path from 'node:path';
import type { InputAlert } from '../../core/formats.js';
import { VrlCompileError } from './diagnostics.js';
import { mapRecords, type MappingFailure } from './map-records.js';
import { loadVrlPrograms, type VrlProgramSet } from './program-set.js';
import { loadVrlProgram } from './program.js';
import { readExportRecords, type SplitFailure } from './split-splunk-export.js';

export interface DryRunOptions {
  /** A sample export on local disk, in any format the splitter reads. */
  sampleFile: string;
  /** A .vrl file to try; without it, programs are chosen by record shape as in a real run. */
  programFile?: string;
  /** At most this many records are mapped (default 100). */
  limit?: number;
  programs?: VrlProgramSet;
}

export interface DryRunReport {
  /** Compile errors and warnings, formatted `file:line:col: ...` as VRL reports them. */
  diagnostics: { errors: string[]; warnings: string[] };
  records: number;
  alerts: InputAlert[];
  failures: MappingFailure[];
  /** Records the reader could not take as JSON objects. */
  unreadable: SplitFailure[];
}

/**
 * Runs a program on a sample file without touching the store and reports what a real run would
 * produce. A program that does not compile gives its diagnostics instead of throwing, so the CLI
 * can print them.
 */
export async function dryRunVrl(options: DryRunOptions): Promise<DryRunReport> {
  const report: DryRunReport = {
    diagnostics: { errors: [], warnings: [] },
    records: 0,
    alerts: [],
    failures: [],
    unreadable: [],
  };
  let set: VrlProgramSet;
  let forced: string | undefined;
  try {
    set = options.programs ?? loadVrlPrograms();
    if (options.programFile) {
      const program = loadVrlProgram(path.resolve(options.programFile));
      report.diagnostics.warnings.push(...program.warnings);
      forced = `dry-run:${program.name}`;
      const withForced = new Map([...set.programs, [forced, { ...program, name: forced }]]);
      set = { ...set, programs: withForced };
    }
  } catch (err) {
    if (err instanceof VrlCompileError) {
      report.diagnostics.errors.push(...err.diagnostics);
      return report;
    }
    throw err;
  }
  const limit = options.limit ?? 100;
  const records: Record<string, unknown>[] = [];
  const indexes: number[] = [];
  const input = createReadStream(options.sampleFile);
  for await (const item of readExportRecords(input, options.sampleFile)) {
    if ('failure' in item) report.unreadable.push(item.failure);
    else {
      records.push(item.record);
      indexes.push(item.index);
    }
    if (records.length >= limit) {
      input.destroy();
      break;
    }
  }
  const inputName = path.basename(options.sampleFile).replace(/\.(gz|json|jsonl)$/gi, '');
  const mapped = mapRecords(set, records, {
    inputKey: options.sampleFile,
    inputName,
    indexes,
    program: forced,
  });
  report.records = records.length;
  report.alerts = mapped.alerts;
  report.failures = mapped.failures;
  return report;
}
