import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** MITRE ATT&CK Enterprise, as much of it as the pipeline needs: tactics and techniques. */
export interface Tactic {
  id: string;
  shortname: string;
  name: string;
}

export interface Technique {
  id: string;
  name: string;
  /** Tactic ids (TAxxxx). Sub-techniques without phases inherit their parent's. */
  tactics: string[];
  deprecated: boolean;
}

/** The enterprise tactics in kill-chain order; used when no bundle can be loaded. */
const enterpriseTactics: Tactic[] = [
  ['TA0043', 'reconnaissance', 'Reconnaissance'],
  ['TA0042', 'resource-development', 'Resource Development'],
  ['TA0001', 'initial-access', 'Initial Access'],
  ['TA0002', 'execution', 'Execution'],
  ['TA0003', 'persistence', 'Persistence'],
  ['TA0004', 'privilege-escalation', 'Privilege Escalation'],
  ['TA0005', 'defense-evasion', 'Defense Evasion'],
  ['TA0006', 'credential-access', 'Credential Access'],
  ['TA0007', 'discovery', 'Discovery'],
  ['TA0008', 'lateral-movement', 'Lateral Movement'],
  ['TA0009', 'collection', 'Collection'],
  ['TA0011', 'command-and-control', 'Command and Control'],
  ['TA0010', 'exfiltration', 'Exfiltration'],
  ['TA0040', 'impact', 'Impact'],
].map(([id, shortname, name]) => ({ id, shortname, name }) as Tactic);

export class AttackCatalog {
  readonly techniques: ReadonlyMap<string, Technique>;
  private readonly order: Map<string, number>;

  constructor(
    readonly tactics: Tactic[],
    techniques: Technique[],
    /** Where the catalogue came from, or why it is empty. */
    readonly source: string,
  ) {
    this.techniques = new Map(techniques.map((t) => [t.id, t]));
    this.order = new Map(tactics.map((t, i) => [t.id, i]));
  }

  static empty(reason: string): AttackCatalog {
    return new AttackCatalog(enterpriseTactics, [], reason);
  }

  get tacticOrder(): string[] {
    return this.tactics.map((t) => t.id);
  }

  tacticRank(tacticId: string): number {
    return this.order.get(tacticId) ?? Number.MAX_SAFE_INTEGER;
  }

  /** Tactics of a technique id; an unknown sub-technique falls back to its parent's. */
  tacticsOf(techniqueId: string): string[] {
    const found =
      this.techniques.get(techniqueId) ?? this.techniques.get(techniqueId.split('.')[0] ?? '');
    return found ? found.tactics : [];
  }

  /** Tactics of several techniques, deduplicated, in kill-chain order. */
  tacticsOfAll(techniqueIds: Iterable<string>): string[] {
    const set = new Set<string>();
    for (const id of techniqueIds) for (const t of this.tacticsOf(id)) set.add(t);
    return [...set].sort((a, b) => this.tacticRank(a) - this.tacticRank(b));
  }
}

const stixObject = z.looseObject({
  type: z.string(),
  id: z.string(),
  name: z.string().optional(),
  revoked: z.boolean().optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_shortname: z.string().optional(),
  tactic_refs: z.array(z.string()).optional(),
  kill_chain_phases: z
    .array(z.object({ kill_chain_name: z.string(), phase_name: z.string() }))
    .optional(),
  external_references: z
    .array(z.looseObject({ source_name: z.string(), external_id: z.string().optional() }))
    .optional(),
});
const stixBundle = z.object({ type: z.literal('bundle'), objects: z.array(z.unknown()) });

const mitreId = (o: z.infer<typeof stixObject>): string | undefined =>
  o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;

/** Builds a catalogue from a STIX 2.x bundle (official or trimmed). */
export function parseAttackBundle(text: string, source: string): AttackCatalog {
  const bundle = stixBundle.parse(JSON.parse(text));
  const objects = bundle.objects.flatMap((raw) => {
    const parsed = stixObject.safeParse(raw);
    return parsed.success ? [parsed.data] : [];
  });
  const byStixId = new Map(objects.map((o) => [o.id, o]));
  const tacticObjects = objects.filter((o) => o.type === 'x-mitre-tactic' && !o.revoked);
  const matrix = objects.find((o) => o.type === 'x-mitre-matrix' && !o.revoked);
  const ordered = matrix?.tactic_refs
    ? matrix.tactic_refs.map((ref) => byStixId.get(ref)).filter((o) => o !== undefined)
    : tacticObjects;
  const tactics: Tactic[] = ordered.flatMap((o) => {
    const id = mitreId(o);
    return id && o.x_mitre_shortname
      ? [{ id, shortname: o.x_mitre_shortname, name: o.name ?? id }]
      : [];
  });
  if (tactics.length === 0) throw new Error('the bundle holds no ATT&CK tactics');
  const byShortname = new Map(tactics.map((t) => [t.shortname, t.id]));

  const techniques: Technique[] = [];
  for (const o of objects) {
    if (o.type !== 'attack-pattern' || o.revoked) continue;
    const id = mitreId(o);
    if (!id || !/^T\d{4}(\.\d{3})?$/.test(id)) continue;
    const phases = (o.kill_chain_phases ?? []).filter((p) => p.kill_chain_name === 'mitre-attack');
    const tacticIds = phases.flatMap((p) => byShortname.get(p.phase_name) ?? []);
    techniques.push({
      id,
      name: o.name ?? id,
      tactics: tacticIds,
      deprecated: o.x_mitre_deprecated ?? false,
    });
  }
  const byId = new Map(techniques.map((t) => [t.id, t]));
  for (const t of techniques) {
    if (t.tactics.length === 0 && t.id.includes('.'))
      t.tactics = byId.get(t.id.split('.')[0]!)?.tactics ?? [];
  }
  return new AttackCatalog(tactics, techniques, source);
}

export interface AttackLoadOptions {
  /** A file path or an http(s) URL of a STIX bundle. */
  source?: string;
  /** Downloaded bundles are kept here so that a later start needs no network. */
  cacheDir: string;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  fetchTimeoutMs?: number;
}

/**
 * Loads the ATT&CK catalogue. Never throws: without a usable bundle the pipeline keeps running
 * with tactics only, and says why in a warning.
 */
export async function loadAttackCatalog(options: AttackLoadOptions): Promise<AttackCatalog> {
  const { source, cacheDir, warn } = options;
  if (!source) {
    warn('no ATT&CK bundle configured (ATTACK_BUNDLE); techniques will not be named from ATT&CK');
    return AttackCatalog.empty('none configured');
  }
  const isUrl = /^https?:\/\//i.test(source);
  const cacheFile = path.join(
    cacheDir,
    `attack-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.json`,
  );
  try {
    let text: string;
    if (isUrl) {
      text = await downloadWithCache(source, cacheFile, options.fetchTimeoutMs ?? 30_000, warn);
    } else {
      text = await readFile(source, 'utf8');
    }
    return parseAttackBundle(text, source);
  } catch (err) {
    warn('ATT&CK bundle could not be loaded; techniques will not be named from ATT&CK', {
      source,
      error: (err as Error).message,
    });
    return AttackCatalog.empty(`failed to load ${source}`);
  }
}

async function downloadWithCache(
  url: string,
  cacheFile: string,
  timeoutMs: number,
  warn: AttackLoadOptions['warn'],
): Promise<string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${url}`);
    const text = await response.text();
    parseAttackBundle(text, url);
    await mkdir(path.dirname(cacheFile), { recursive: true });
    await writeFile(cacheFile, text);
    return text;
  } catch (err) {
    const cached = await readFile(cacheFile, 'utf8').catch(() => undefined);
    if (cached === undefined) throw err;
    warn('ATT&CK download failed; using the cached copy', {
      url,
      cacheFile,
      error: (err as Error).message,
    });
    return cached;
  }
}
