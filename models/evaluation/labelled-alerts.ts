import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

/** An alert in the internal format's terms, with its ground-truth group. */
export interface LabelledAlert {
  time: number;
  src: string;
  dst: string;
  name: string;
  attrs: Record<string, unknown>;
  label: string;
}

export interface LabelledSet {
  name: string;
  /** What the label means, for the report. */
  label: string;
  alerts: LabelledAlert[];
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
const number = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};
const compact = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== ''));

/**
 * CPTC 2017 Splunk exports, every team mixed into one stream as a SOC would see them. Fields are
 * mapped as `vrl/splunk-suricata-to-internal.vrl` maps them, so the Splunk `host` is `sensor`.
 */
export async function readCptcExports(folder: string): Promise<LabelledSet> {
  const files = (await readdir(folder)).filter((f) => f.endsWith('.gz')).sort();
  const alerts: LabelledAlert[] = [];
  for (const file of files) {
    // Splunk writes a byte-order mark before the JSON.
    const json = gunzipSync(await readFile(path.join(folder, file)))
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    for (const row of JSON.parse(json) as { result: Record<string, unknown> }[]) {
      const r = row.result;
      alerts.push({
        time: Date.parse(text(r.timestamp) || text(r._time)) / 1000,
        src: text(r.src_ip),
        dst: text(r.dest_ip),
        name: text(r['alert.signature']),
        attrs: compact({
          priority: number(r['alert.severity']),
          port: number(r.dest_port),
          signature_id: r['alert.signature_id'],
          category: r['alert.category'],
          proto: r.proto,
          app_proto: r.app_proto,
          src_port: number(r.src_port),
          sensor: r.host,
        }),
        label: text(r.team),
      });
    }
  }
  return { name: 'cptc2017', label: 'attacking team (teams mixed)', alerts };
}

/** AIT-ADS CSV: `time,name,ip,host,short,time_label,event_label`; the label is `time_label`. */
export async function readAitAds(file: string): Promise<LabelledSet> {
  const [header, ...lines] = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  const columns = splitCsv(header ?? '');
  const at = (name: string) => columns.indexOf(name);
  const alerts = lines.map((line): LabelledAlert => {
    const cells = splitCsv(line);
    // A host alert names one machine: its address and its name are both ways to meet it again.
    return {
      time: Number(cells[at('time')]),
      src: cells[at('ip')] ?? '',
      dst: cells[at('host')] ?? '',
      name: cells[at('name')] ?? '',
      attrs: compact({ short: cells[at('short')] }),
      label: cells[at('time_label')] ?? '',
    };
  });
  const scenario = path.basename(file).replace(/_alerts\.txt$/, '');
  return { name: `ait_ads/${scenario}`, label: 'time_label (phase or false_positive)', alerts };
}

/** AIT-LDS v1.1 Wazuh alerts with the per-line phase labels; unlabelled lines are "none". */
export async function readAitLds(alertsFile: string, labelsFile: string): Promise<LabelledSet> {
  const phases = new Map<number, string>();
  for (const line of (await readFile(labelsFile, 'utf8')).split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { line: number; phase: string };
    phases.set(row.line, row.phase || 'none');
  }
  const lines = (await readFile(alertsFile, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  const alerts = lines.map((line, n): LabelledAlert => {
    const a = JSON.parse(line) as Record<string, Record<string, unknown> | undefined>;
    const agent = text(a.agent?.name);
    return {
      time: Date.parse(text(a.timestamp as unknown)) / 1000,
      src: text(a.data?.srcip) || agent,
      // Wazuh writes the destination with its port ("10.0.0.5:80").
      dst: text(a.data?.dstip).replace(/:\d+$/, '') || agent,
      name: text(a.rule?.description),
      // The agent is the machine whose logs raised the alert: the sensor, as for Suricata.
      attrs: compact({ priority: number(a.rule?.level), sensor: agent, rule_id: a.rule?.id }),
      label: phases.get(n) ?? 'none',
    };
  });
  return { name: 'ait_ldsv1_wazuh/insect', label: 'attack phase', alerts };
}

/** One CSV line; quoted cells may hold commas and doubled quotes. */
function splitCsv(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let k = 0; k < line.length; k++) {
    const c = line[k]!;
    if (quoted && c === '"' && line[k + 1] === '"') {
      cell += '"';
      k++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (c === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  return cells;
}
