import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { LabelledAlert } from './generate.js';

export type GeneratedFormat = 'internal' | 'splunk';

/** Splunk's view of a generated alert: a search result of sourcetype suricata:alert. */
function splunkResult(item: LabelledAlert, offset: number): unknown {
  const a = item.alert;
  const time = new Date(a.time * 1000).toISOString().replace('Z', '+0000');
  return {
    preview: false,
    offset,
    result: {
      _time: time,
      timestamp: time,
      sourcetype: 'suricata:alert',
      event_type: 'alert',
      src_ip: a.src,
      dest_ip: a.dst,
      dest_port: String(a.other_attributes_dict.port ?? ''),
      proto: 'TCP',
      'alert.signature': a.name,
      'alert.severity': String(a.other_attributes_dict.priority ?? 3),
      'alert.category': item.stage || 'Not Suspicious Traffic',
      host: 'sensor-1.example.net',
    },
  };
}

/**
 * Writes generated alerts as they come, in the internal format (`{"input": [...]}`) or as a
 * Splunk search export (JSON lines), plus `<file>.labels.jsonl` with each alert's ground truth.
 * Nothing is held in memory but the write buffers.
 */
export async function writeGenerated(
  alerts: Iterable<LabelledAlert>,
  file: string,
  format: GeneratedFormat,
): Promise<number> {
  const out = createWriteStream(file);
  const labels = createWriteStream(`${file}.labels.jsonl`);
  const write = async (stream: typeof out, text: string): Promise<void> => {
    if (!stream.write(text)) await once(stream, 'drain');
  };
  let count = 0;
  if (format === 'internal') await write(out, '{"input":[\n');
  for (const item of alerts) {
    const record = format === 'internal' ? item.alert : splunkResult(item, count);
    const separator = format === 'internal' && count > 0 ? ',\n' : '';
    await write(out, `${separator}${JSON.stringify(record)}${format === 'splunk' ? '\n' : ''}`);
    const label = { id: item.alert.id, label: item.label, stage: item.stage };
    await write(labels, `${JSON.stringify(label)}\n`);
    count++;
  }
  if (format === 'internal') await write(out, '\n]}\n');
  await Promise.all([new Promise((r) => out.end(r)), new Promise((r) => labels.end(r))]);
  return count;
}
