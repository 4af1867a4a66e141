import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatVrlDiagnostic, VrlCompileError } from './diagnostics.js';
import { verel } from './verel.js';

/**
 * How a program sees its input. `chunk`: `.` is the whole array of records and the program
 * returns an array of the same length (one VRL execution per chunk, the fast way). `record`: `.`
 * is one record (simplest to write; one execution per record).
 */
export type VrlMode = 'chunk' | 'record';
/** What a program produces: internal alerts, or CEF objects that cef-to-internal maps further. */
export type VrlOutput = 'internal' | 'cef';

export interface VrlProgram {
  /** File name without `.vrl`, e.g. `splunk-cim-to-cef`; how quarantine records name it. */
  name: string;
  file: string;
  source: string;
  /** What verel runs: the source, with its final value discarded (see `discardFinalValue`). */
  executable: string;
  mode: VrlMode;
  output: VrlOutput;
  /** Top-level fields the program reads; the others are not copied into VRL at all. */
  reads?: ReadonlySet<string>;
  warnings: string[];
}

export class VrlHeaderError extends Error {
  readonly type = 'VrlHeaderError';
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'VrlHeaderError';
  }
}

/**
 * Reads the `# mode:`, `# output:` and `# reads:` lines of the comment block that opens a program.
 * They are ordinary VRL comments, so the file stays a valid VRL program for other tools.
 */
function parseHeader(file: string, source: string): Pick<VrlProgram, 'mode' | 'output' | 'reads'> {
  const header: Pick<VrlProgram, 'mode' | 'output' | 'reads'> = {
    mode: 'record',
    output: 'internal',
  };
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    if (!line.startsWith('#')) break;
    const m = /^#\s*(mode|output|reads)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value = ''] = m;
    if (key === 'mode') {
      if (value !== 'chunk' && value !== 'record') {
        throw new VrlHeaderError(file, i + 1, `mode must be "chunk" or "record", got "${value}"`);
      }
      header.mode = value;
    } else if (key === 'output') {
      if (value !== 'internal' && value !== 'cef') {
        throw new VrlHeaderError(file, i + 1, `output must be "internal" or "cef", got "${value}"`);
      }
      header.output = value;
    } else {
      // Several `# reads:` lines add up, so long field lists stay within the line width.
      const reads = new Set(header.reads);
      for (const field of value.split(',')) if (field.trim()) reads.add(field.trim());
      header.reads = reads;
    }
  }
  return header;
}

/**
 * verel answers with the event and with the program's final value, each serialised to JSON in
 * WebAssembly and parsed again in JavaScript. The final value of `. = map_values(...)` is the
 * whole answer, so without this every chunk crossed the boundary twice. A last `null` makes the
 * second copy free; the line break first ends a last line that is a comment.
 */
function discardFinalValue(source: string): string {
  const executable = `${source}\nnull\n`;
  // Cannot fail for a program that compiles, but the program as written is what must run.
  return verel().check(executable).errors.length === 0 ? executable : source;
}

/** Compiles a program from its text; VRL's diagnostics become a VrlCompileError naming the file. */
export function compileVrlProgram(file: string, source: string, name?: string): VrlProgram {
  const header = parseHeader(file, source);
  const { errors, warnings } = verel().check(source);
  if (errors.length > 0) {
    throw new VrlCompileError(
      file,
      errors.map((d) => formatVrlDiagnostic(file, source, d)),
    );
  }
  return {
    name: name ?? path.basename(file).replace(/\.vrl$/, ''),
    file,
    source,
    executable: discardFinalValue(source),
    ...header,
    warnings: warnings.map((d) => formatVrlDiagnostic(file, source, d)),
  };
}

export function loadVrlProgram(file: string, name?: string): VrlProgram {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as Error).message;
    throw new Error(`VRL program ${file} cannot be read: ${reason}`, { cause: err });
  }
  return compileVrlProgram(file, source, name);
}
