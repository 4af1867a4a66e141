import { createRequire } from 'node:module';

/**
 * The slice of @bpinternal/verel this project uses. The package ships CommonJS with a 12 MB inline
 * WebAssembly module, so it is loaded once, lazily, through require: a worker that never maps a
 * Splunk export does not pay for instantiating it.
 */
export interface VrlDiagnostic {
  message: string;
  code: number;
  severity: string;
  labels: { message: string; primary: boolean; span: [number, number] }[];
  notes: { message: string; note_type: string }[];
}

interface Verel {
  check(program: string): { warnings: VrlDiagnostic[]; errors: VrlDiagnostic[] };
  execute(program: string, event: unknown): { event: unknown; result: unknown };
}

let loaded: Verel | undefined;

export function verel(): Verel {
  if (!loaded) loaded = createRequire(import.meta.url)('@bpinternal/verel') as Verel;
  return loaded;
}

/** verel throws `Error("Termination;\n<reason>")` for abort and failed `!` calls. */
export function runtimeReason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text
    .replace(/^Termination;\s*/, '')
    .replace(/\s+/g, ' ')
    .trim();
}
