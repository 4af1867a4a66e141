import { inputAlertSchema, type Alert, type RejectedRecord } from '../core/formats.js';

/** These numbers are labels ("port=443"); others get coarse buckets so byte counts never split. */
const bucketedNumbers = new Set(['priority', 'port', 'severity', 'dest_port', 'src_port']);
const textFeatureLimit = 80;

export interface SanitisedAlerts {
  alerts: Alert[];
  rejected: RejectedRecord[];
}

/**
 * Checks every record against the internal format. Bad records are kept with the field and the
 * reason; duplicate ids are rejected after their first occurrence.
 */
export function sanitiseAlerts(file: string, records: unknown[], firstIndex = 0): SanitisedAlerts {
  const alerts: Alert[] = [];
  const rejected: RejectedRecord[] = [];
  const seen = new Set<string>();
  records.forEach((record, offset) => {
    const index = firstIndex + offset;
    const parsed = inputAlertSchema.safeParse(record);
    const rawId = (record as { id?: unknown } | null)?.id;
    const id = typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : undefined;
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const field = issue.path.length > 0 ? issue.path.join('.') : '(record)';
      rejected.push({ file, index, id, field, reason: issue.message, record });
      return;
    }
    const alert = parsed.data;
    if (seen.has(alert.id)) {
      rejected.push({ file, index, id: alert.id, field: 'id', reason: 'duplicate id', record });
      return;
    }
    seen.add(alert.id);
    alerts.push({
      i: alerts.length,
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
