import type { VrlProgram } from './program.js';
import { runtimeReason, verel } from './verel.js';

export type Outcome = { ok: true; value: Record<string, unknown> } | { ok: false; reason: string };

/** How many VRL executions a run took: the figure that says whether chunk mode held. */
export interface RunStats {
  executions: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies only the fields a program declared with `# reads:`; the rest never cross into WASM. */
function project(program: VrlProgram, record: unknown): unknown {
  const reads = program.reads;
  if (!reads || !isObject(record)) return record;
  const out: Record<string, unknown> = {};
  // JSON has no undefined: a key holding it would not reach VRL anyway.
  for (const key of reads) {
    const value = record[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** One element of a program's answer: a mapped object, or `{"_error": reason}` from the program. */
function toOutcome(element: unknown): Outcome {
  if (!isObject(element)) {
    const kind = element === null ? 'null' : Array.isArray(element) ? 'an array' : typeof element;
    return { ok: false, reason: `program returned ${kind}, not an object` };
  }
  if ('_error' in element) return { ok: false, reason: String(element._error) };
  return { ok: true, value: element };
}

function runChunkOnce(program: VrlProgram, records: unknown[], stats: RunStats): Outcome[] {
  stats.executions++;
  const { event } = verel().execute(program.executable, records);
  if (!Array.isArray(event) || event.length !== records.length) {
    const got = Array.isArray(event) ? `${event.length} elements` : typeof event;
    throw new Error(`chunk program must return an array of ${records.length} elements, got ${got}`);
  }
  return event.map(toOutcome);
}

/**
 * Runs a chunk program over all records in one execution. When the execution fails as a whole
 * (an `abort` or a failed `!` call on one record), the records are bisected so the failing ones
 * are found in O(k log n) executions instead of one execution per record.
 */
function runChunk(program: VrlProgram, records: unknown[], stats: RunStats): Outcome[] {
  if (records.length === 0) return [];
  try {
    return runChunkOnce(program, records, stats);
  } catch (err) {
    if (records.length === 1) return [{ ok: false, reason: runtimeReason(err) }];
    const half = Math.ceil(records.length / 2);
    return [
      ...runChunk(program, records.slice(0, half), stats),
      ...runChunk(program, records.slice(half), stats),
    ];
  }
}

function runRecords(program: VrlProgram, records: unknown[], stats: RunStats): Outcome[] {
  return records.map((record) => {
    stats.executions++;
    try {
      return toOutcome(verel().execute(program.executable, record).event);
    } catch (err) {
      return { ok: false, reason: runtimeReason(err) };
    }
  });
}

/** Maps records with one program; the answer has one outcome per record, in order. */
export function runVrl(
  program: VrlProgram,
  records: unknown[],
  options: { perRecord?: boolean; stats?: RunStats } = {},
): Outcome[] {
  const stats = options.stats ?? { executions: 0 };
  const input = program.reads ? records.map((r) => project(program, r)) : records;
  if (program.mode === 'record') return runRecords(program, input, stats);
  // perRecord exists for the benchmark: the same chunk program, one record per execution.
  if (options.perRecord) return input.flatMap((r) => runChunk(program, [r], stats));
  return runChunk(program, input, stats);
}
