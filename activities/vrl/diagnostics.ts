import type { VrlDiagnostic } from './verel.js';

/** Where a byte offset of a program's source falls, 1-based, as editors count. */
export function lineAndColumn(source: Buffer, offset: number): { line: number; column: number } {
  const before = source.subarray(0, Math.max(0, Math.min(offset, source.length))).toString('utf8');
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

/**
 * Renders VRL's own diagnostic as `file:line:col: error[E103]: message`, then each label at its
 * own position and the offending source line, so a reader can jump straight to the spot.
 */
export function formatVrlDiagnostic(file: string, source: string, d: VrlDiagnostic): string {
  const bytes = Buffer.from(source, 'utf8');
  const sourceLines = source.split('\n');
  const primary = d.labels.find((l) => l.primary) ?? d.labels[0];
  const at = primary ? lineAndColumn(bytes, primary.span[0]) : { line: 1, column: 1 };
  const out = [`${file}:${at.line}:${at.column}: ${d.severity}[E${d.code}]: ${d.message}`];
  if (primary) {
    const text = sourceLines[at.line - 1] ?? '';
    out.push(`    ${text}`, `    ${' '.repeat(at.column - 1)}^`);
  }
  for (const label of d.labels) {
    const pos = lineAndColumn(bytes, label.span[0]);
    out.push(`  ${file}:${pos.line}:${pos.column}: ${label.message}`);
  }
  return out.join('\n');
}

/** A VRL program that does not compile: raised at load time, before any record is read. */
export class VrlCompileError extends Error {
  readonly type = 'VrlCompileError';
  constructor(
    readonly file: string,
    readonly diagnostics: string[],
  ) {
    super(`VRL program ${file} does not compile:\n${diagnostics.join('\n')}`);
    this.name = 'VrlCompileError';
  }
}
