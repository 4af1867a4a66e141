import type { z } from 'zod';
import {
  inputAlertSchema,
  type Alert,
  type InputAlert,
  type RejectedRecord,
} from '../core/formats.js';

/** These numbers are labels ("port=443"); others get coarse buckets so byte counts never split. */
const bucketedNumbers = new Set(['priority', 'port', 'severity', 'dest_port', 'src_port']);
const textFeatureLimit = 80;

export interface SanitisedAlerts {
  alerts: Alert[];
  rejected: RejectedRecord[];
}

/** Carries duplicate ids and alert numbers from one piece of a streamed file to the next. */
export interface SanitiseProgress {
  seen: Set<string>;
  accepted: number;
}

/**
 * Checks every record against the internal format. Bad records are kept with the field and the
 * reason; duplicate ids are rejected after their first occurrence.
 */
export function sanitiseAlerts(
  file: string,
  records: unknown[],
  firstIndex = 0,
  progress: SanitiseProgress = { seen: new Set(), accepted: 0 },
): SanitisedAlerts {
  const alerts: Alert[] = [];
  const rejected: RejectedRecord[] = [];
  const { seen } = progress;
  records.forEach((record, offset) => {
    const index = firstIndex + offset;
    const rawId = (record as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
    const tooDeep = deepestPath(record, maxNesting);
    if (tooDeep) {
      // The record itself cannot be kept: writing it out would overflow the stack.
      const kept = { id, note: `left out: nested deeper than ${maxNesting} levels` };
      const reason = `nested deeper than ${maxNesting} levels`;
      rejected.push({ file, index, id, field: tooDeep, reason, record: kept });
      return;
    }
    const parsed = inputAlertSchema.safeParse(record);
    const problem = parsed.success
      ? fieldProblem(record as { id: unknown }, parsed.data)
      : issueProblem(parsed.error.issues[0]!);
    if (problem) {
      rejected.push({ file, index, id, ...problem, record });
      return;
    }
    if (!parsed.success) return;
    const alert = parsed.data;
    if (seen.has(alert.id)) {
      rejected.push({ file, index, id: alert.id, field: 'id', reason: 'duplicate id', record });
      return;
    }
    seen.add(alert.id);
    alerts.push({
      i: progress.accepted++,
      id: alert.id,
      time: alert.time,
      src: alert.src,
      dst: alert.dst,
      name: alert.name,
      tech: [...new Set(alert.tech)],
      attrs: alert.other_attributes_dict,
      features: encodeAttributes(alert.other_attributes_dict),
    });
  });
  return { alerts, rejected };
}

interface FieldProblem {
  field: string;
  reason: string;
}

/** 2100-01-01: a later time is almost always milliseconds or microseconds read as seconds. */
const latestTime = 4_102_444_800;
const maxNesting = 32;
/** Longer values are not ids, hosts or alert titles but pasted payloads. */
const maxLength: Record<'id' | 'src' | 'dst' | 'name', number> = {
  id: 512,
  src: 1024,
  dst: 1024,
  name: 8192,
};
/** Control characters forge log lines and break tickets; a tab in a title is harmless. */
const controlCharacter = /[\u0000-\u001f\u007f]/;
const controlCharacterButTab = /[\u0000-\u0008\u000a-\u001f\u007f]/;

const readableReasons: Record<string, string> = {
  'other_attributes_dict.port': 'expected a whole port number from 0 to 65535',
  'other_attributes_dict.priority': 'expected a finite number',
};

function issueProblem(issue: z.core.$ZodIssue): FieldProblem {
  const field = issue.path.length > 0 ? issue.path.join('.') : '(record)';
  const hint = readableReasons[field];
  return { field, reason: hint ? `${hint} (${issue.message})` : issue.message };
}

/** What the schema cannot say: numbers that lost digits, absurd times, lengths, control bytes. */
function fieldProblem(raw: { id: unknown }, alert: InputAlert): FieldProblem | undefined {
  if (typeof raw.id === 'number' && !Number.isSafeInteger(raw.id)) {
    return {
      field: 'id',
      reason: `numeric id ${raw.id} is not a whole number below 2^53 and loses digits; quote it`,
    };
  }
  if (alert.time > latestTime) {
    return {
      field: 'time',
      reason: `${alert.time} is after 2100: expected epoch seconds (milliseconds given?)`,
    };
  }
  for (const field of ['id', 'src', 'dst', 'name'] as const) {
    const value = alert[field];
    if (value.length > maxLength[field]) {
      return { field, reason: `longer than ${maxLength[field]} characters (${value.length})` };
    }
    const control = (field === 'name' ? controlCharacterButTab : controlCharacter).exec(value);
    if (control) {
      const code = control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase();
      return { field, reason: `control character U+${code} at position ${control.index}` };
    }
  }
  return undefined;
}

/**
 * The path (first two levels) to a value nested deeper than `limit`, found without recursion so
 * that a hostile record cannot overflow the stack here either.
 */
function deepestPath(record: unknown, limit: number): string | undefined {
  const stack: { value: unknown; depth: number; path: string[] }[] = [
    { value: record, depth: 0, path: [] },
  ];
  while (stack.length > 0) {
    const { value, depth, path } = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= limit) return path.slice(0, 2).join('.') || '(record)';
    for (const [key, child] of Object.entries(value)) {
      stack.push({ value: child, depth: depth + 1, path: [...path.slice(0, 2), key] });
    }
  }
  return undefined;
}

/**
 * Turns `other_attributes_dict` into `key=value` feature tokens the clusterer can weigh.
 * URLs count by host; free text longer than a label is left out, it would never match.
 */
export function encodeAttributes(attrs: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === '') continue;
    if (typeof value === 'number' && Number.isFinite(value)) {
      out.push(bucketedNumbers.has(key) ? `${key}=${value}` : `${key}~${magnitude(value)}`);
    } else if (typeof value === 'boolean') {
      out.push(`${key}=${value}`);
    } else if (typeof value === 'string') {
      if (key === 'url') {
        const host = urlHost(value);
        if (host) out.push(`url_host=${host}`);
      } else if (value.length <= textFeatureLimit) {
        out.push(`${key}=${value}`);
      }
    }
  }
  return out.sort();
}

function magnitude(value: number): number {
  return value === 0 ? 0 : Math.sign(value) * Math.floor(Math.log2(Math.abs(value)) + 1);
}

function urlHost(value: string): string | undefined {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).hostname || undefined;
  } catch {
    return undefined;
  }
}
