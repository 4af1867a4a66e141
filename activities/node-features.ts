import { nodeFeatureSchema, type RejectedRecord } from '../core/formats.js';

/**
 * Checks `node_feature` host by host: one bad host is rejected with its reason, it does not
 * reject the whole file.
 */
export function sanitiseNodeFeatures(
  key: string,
  raw: unknown,
): { nodeFeature: Record<string, Record<string, unknown>>; rejected: RejectedRecord[] } {
  if (raw === undefined || raw === null) return { nodeFeature: {}, rejected: [] };
  const whole = nodeFeatureSchema.safeParse(raw);
  if (whole.success) return { nodeFeature: whole.data, rejected: [] };
  const nodeFeature: Record<string, Record<string, unknown>> = {};
  const rejected: RejectedRecord[] = [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    rejected.push({
      file: key,
      index: -1,
      field: 'node_feature',
      reason: 'expected an object of hosts',
      record: raw,
    });
    return { nodeFeature, rejected };
  }
  for (const [host, features] of Object.entries(raw as Record<string, unknown>)) {
    if (features && typeof features === 'object' && !Array.isArray(features)) {
      nodeFeature[host] = features as Record<string, unknown>;
    } else {
      rejected.push({
        file: key,
        index: -1,
        field: `node_feature.${host}`,
        reason: 'expected an object of feature names to values',
        record: features,
      });
    }
  }
  return { nodeFeature, rejected };
}
