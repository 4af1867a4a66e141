import { existsSync } from 'node:fs';
import path from 'node:path';
import type { VrlMapping } from '../../core/vrl-mappings.js';
import { loadVrlProgram, type VrlProgram } from './program.js';

export const builtinPrograms = {
  cimToCef: 'splunk-cim-to-cef',
  cefToInternal: 'cef-to-internal',
  elastic: 'elastic-alert-to-internal',
  suricata: 'suricata-eve-to-internal',
  splunkSuricata: 'splunk-suricata-to-internal',
} as const;

export interface LoadedMapping extends VrlMapping {
  compiled: VrlProgram;
}

/** Every program a worker runs, compiled once at start-up. */
export interface VrlProgramSet {
  dir: string;
  programs: ReadonlyMap<string, VrlProgram>;
  mappings: readonly LoadedMapping[];
}

/** `vrl/` at the repository root, from source (activities/vrl) or from dist/activities/vrl. */
export function defaultVrlDir(): string {
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(import.meta.dirname, up, 'vrl');
    if (existsSync(path.join(dir, `${builtinPrograms.cefToInternal}.vrl`))) return dir;
  }
  throw new Error(`the vrl/ folder with ${builtinPrograms.cefToInternal}.vrl was not found`);
}

/**
 * Compiles the built-in programs and the user's mappings. A program that does not compile stops
 * the worker here, with VRL's diagnostics, file and line, rather than on the first record.
 */
export function loadVrlPrograms(
  options: { dir?: string; mappings?: VrlMapping[] } = {},
): VrlProgramSet {
  const dir = options.dir ?? defaultVrlDir();
  const programs = new Map<string, VrlProgram>();
  for (const name of Object.values(builtinPrograms)) {
    programs.set(name, loadVrlProgram(path.join(dir, `${name}.vrl`)));
  }
  const mappings = (options.mappings ?? []).map((m) => {
    const compiled = loadVrlProgram(path.resolve(m.program));
    if (programs.has(compiled.name) && programs.get(compiled.name)?.file !== compiled.file) {
      compiled.name = `user:${compiled.name}`;
    }
    programs.set(compiled.name, compiled);
    return { ...m, compiled };
  });
  return { dir, programs, mappings };
}

export function programNamed(set: VrlProgramSet, name: string): VrlProgram {
  const program = set.programs.get(name);
  if (!program) {
    const known = [...set.programs.keys()].join(', ');
    throw new Error(`no VRL program named "${name}" (known: ${known})`);
  }
  return program;
}

/** A program and, when it produces CEF, the CEF program that finishes the job. */
export function chainFor(set: VrlProgramSet, program: VrlProgram): VrlProgram[] {
  return program.output === 'cef'
    ? [program, programNamed(set, builtinPrograms.cefToInternal)]
    : [program];
}
