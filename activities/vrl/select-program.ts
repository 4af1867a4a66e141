import { builtinPrograms, chainFor, programNamed, type VrlProgramSet } from './program-set.js';
import type { VrlProgram } from './program.js';

export type Selection = { chain: VrlProgram[] } | { reason: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const CEF_KEYS = [
  'cefVersion',
  'deviceVendor',
  'deviceProduct',
  'sourceAddress',
  'destinationAddress',
];
const CIM_KEYS = [
  ...['src', 'dest', 'src_ip', 'dest_ip', 'user'],
  ...['signature', 'rule_name', 'search_name'],
];

/** The Splunk sourcetype, under any of the spellings exports use. */
export function sourcetypeOf(record: Record<string, unknown>): string | undefined {
  for (const key of ['sourcetype', '_sourcetype', '_sourceType', 'sourceType']) {
    const value = record[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function isElasticAlert(record: Record<string, unknown>): boolean {
  const value = isObject(record.value) ? record.value.source : undefined;
  const doc = isObject(record._source) ? record._source : isObject(value) ? value : record;
  if (isObject(doc.kibana) && isObject(doc.kibana.alert)) return true;
  return Object.keys(doc).some((k) => k.startsWith('kibana.alert.'));
}

function isCef(record: Record<string, unknown>): boolean {
  if (CEF_KEYS.some((k) => k in record)) return true;
  const line = record._raw ?? record.raw ?? record.message;
  return typeof line === 'string' && line.includes('CEF:');
}

/**
 * Picks the program chain for one record: a user mapping first (by key prefix or sourcetype),
 * then by shape: kibana.alert.* is Elastic; event_type "alert" or a suricata sourcetype is
 * Suricata (from Splunk's extracted fields when present, else the eve.json line); CEF keys or a
 * CEF line is CEF; CIM field names are Splunk CIM (mapped to CEF, then to the internal format).
 */
export function selectProgram(set: VrlProgramSet, record: unknown, inputKey: string): Selection {
  if (!isObject(record)) return { reason: 'record is not an object' };
  const sourcetype = sourcetypeOf(record);
  for (const m of set.mappings) {
    const byKey = m.keyPrefix !== undefined && inputKey.startsWith(m.keyPrefix);
    const byType = sourcetype !== undefined && (m.sourcetype?.includes(sourcetype) ?? false);
    if (byKey || byType) return { chain: chainFor(set, m.compiled) };
  }
  const pick = (name: string): Selection => ({ chain: chainFor(set, programNamed(set, name)) });
  if (isElasticAlert(record)) return pick(builtinPrograms.elastic);
  if (record.event_type === 'alert' || sourcetype?.startsWith('suricata')) {
    // Splunk's extracted fields map far faster than re-parsing the eve.json line in `_raw`.
    const extracted = typeof record['alert.signature'] === 'string' && 'src_ip' in record;
    return pick(extracted ? builtinPrograms.splunkSuricata : builtinPrograms.suricata);
  }
  if (isCef(record)) return pick(builtinPrograms.cefToInternal);
  if (CIM_KEYS.some((k) => k in record)) return pick(builtinPrograms.cimToCef);
  return {
    reason:
      'no program matches this record: it has no kibana.alert.* fields, no event_type "alert", ' +
      'no CEF fields and no CIM fields (src, dest, signature, ...); add a VRL mapping for it',
  };
}
