import type { InputAlert } from '../../core/formats.js';
import { checkMappedAlert } from './alert-check.js';
import type { VrlProgramSet } from './program-set.js';
import { chainFor, programNamed } from './program-set.js';
import { runVrl, type RunStats } from './runner.js';
import { selectProgram } from './select-program.js';
import type { VrlProgram } from './program.js';

/** A record that could not be mapped, with what is needed to understand and replay it. */
export interface MappingFailure {
  record_index: number;
  /** The program that rejected it, or the chain step that produced an invalid alert. */
  program: string;
  chain: string[];
  reason: string;
  record: unknown;
}

export interface MappedRecords {
  alerts: InputAlert[];
  failures: MappingFailure[];
  stats: RunStats;
}

interface Pending {
  position: number;
  value: unknown;
}

/**
 * Maps records to internal alerts: each record's program chain is chosen by its shape (or forced
 * by name), each chain runs over all its records at once, and every record ends up either as a
 * valid alert or as a failure with its reason. Alerts keep the records' order.
 */
export function mapRecords(
  set: VrlProgramSet,
  records: readonly unknown[],
  context: { inputKey: string; inputName: string; indexes?: readonly number[]; program?: string },
  options: { perRecord?: boolean } = {},
): MappedRecords {
  const stats: RunStats = { executions: 0 };
  const indexOf = (position: number): number => context.indexes?.[position] ?? position;
  const failures: MappingFailure[] = [];
  const groups = new Map<string, { chain: VrlProgram[]; items: Pending[] }>();
  const forced = context.program ? chainFor(set, programNamed(set, context.program)) : undefined;

  records.forEach((value, position) => {
    const selection = forced ? { chain: forced } : selectProgram(set, value, context.inputKey);
    if ('reason' in selection) {
      const reason = selection.reason;
      const record_index = indexOf(position);
      failures.push({ record_index, program: '', chain: [], reason, record: value });
      return;
    }
    const id = selection.chain.map((p) => p.name).join(' > ');
    const group = groups.get(id) ?? { chain: selection.chain, items: [] };
    group.items.push({ position, value });
    groups.set(id, group);
  });

  const mapped: { position: number; alert: InputAlert }[] = [];
  for (const { chain, items } of groups.values()) {
    const names = chain.map((p) => p.name);
    let current = items;
    for (const program of chain) {
      const outcomes = runVrl(
        program,
        current.map((c) => c.value),
        { ...options, stats },
      );
      const next: Pending[] = [];
      outcomes.forEach((outcome, k) => {
        const item = current[k] as Pending;
        if (outcome.ok) next.push({ position: item.position, value: outcome.value });
        else {
          failures.push({
            record_index: indexOf(item.position),
            program: program.name,
            chain: names,
            reason: outcome.reason,
            record: records[item.position],
          });
        }
      });
      current = next;
    }
    const last = names.at(-1) ?? '';
    for (const item of current) {
      const value = item.value as Record<string, unknown>;
      // Sources without an event id of their own get a stable one: the input and the position.
      const fallbackId = `${context.inputName}:${indexOf(item.position)}`;
      const checked = checkMappedAlert(value, fallbackId);
      if ('alert' in checked) mapped.push({ position: item.position, alert: checked.alert });
      else {
        const reason = checked.reason;
        const record = records[item.position];
        const record_index = indexOf(item.position);
        failures.push({ record_index, program: last, chain: names, reason, record });
      }
    }
  }
  mapped.sort((a, b) => a.position - b.position);
  failures.sort((a, b) => a.record_index - b.record_index);
  return { alerts: mapped.map((m) => m.alert), failures, stats };
}
