import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttackCatalog, loadAttackCatalog, parseAttackBundle } from '../../core/attack.js';
import { sharedData } from '../helpers/shared-data.js';

const bundle = sharedData('attack/enterprise-attack.json');

interface Warning {
  message: string;
  fields?: Record<string, unknown>;
}
type Warn = (message: string, fields?: Record<string, unknown>) => void;
function collectWarnings(): { warnings: Warning[]; warn: Warn } {
  const warnings: Warning[] = [];
  return { warnings, warn: (message, fields) => warnings.push({ message, fields }) };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'attack-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(bundle.skip)('parseAttackBundle on the real Enterprise bundle', () => {
  const text = bundle.skip ? '' : readFileSync(bundle.path, 'utf8');
  const catalog = bundle.skip
    ? AttackCatalog.empty('skipped')
    : parseAttackBundle(text, bundle.path);

  it('orders the 14 enterprise tactics as the matrix does', () => {
    expect(catalog.tacticOrder).toHaveLength(14);
    expect(catalog.tacticOrder[0]).toBe('TA0043');
    expect(catalog.tacticOrder.at(-1)).toBe('TA0040');
    expect(catalog.tactics[0]).toEqual({
      id: 'TA0043',
      shortname: 'reconnaissance',
      name: 'Reconnaissance',
    });
    expect(catalog.tacticRank('TA0001')).toBeLessThan(catalog.tacticRank('TA0002'));
    expect(catalog.tacticRank('TA9999')).toBe(Number.MAX_SAFE_INTEGER);
    expect(catalog.source).toBe(bundle.path);
  });

  it('knows techniques and sub-techniques with their tactics', () => {
    expect(catalog.techniques.size).toBeGreaterThan(500);
    expect(catalog.techniques.get('T1110')?.name).toBe('Brute Force');
    expect(catalog.tacticsOf('T1110')).toEqual(['TA0006']);
    expect(catalog.tacticsOf('T1110.001')).toEqual(['TA0006']);
    expect(catalog.tacticsOf('T1055').sort()).toEqual(['TA0004', 'TA0005']);
    // An unknown sub-technique falls back to its parent; an unknown technique has none.
    expect(catalog.tacticsOf('T1110.999')).toEqual(['TA0006']);
    expect(catalog.tacticsOf('T9999')).toEqual([]);
  });

  it('gives tacticsOfAll deduplicated and in kill-chain order', () => {
    expect(catalog.tacticsOfAll(['T1486', 'T1055', 'T1595', 'T1110', 'T1055.012'])).toEqual([
      'TA0043',
      'TA0004',
      'TA0005',
      'TA0006',
      'TA0040',
    ]);
    expect(catalog.tacticsOfAll([])).toEqual([]);
  });
});

/** A trimmed bundle: two tactics, no matrix, a sub-technique without phases, a revoked one. */
const smallBundle = JSON.stringify({
  type: 'bundle',
  objects: [
    tactic('x-a', 'TA0001', 'initial-access'),
    tactic('x-b', 'TA0002', 'execution'),
    technique('T1059', [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }]),
    technique('T1059.001', undefined),
    technique('T1566', [{ kill_chain_name: 'other', phase_name: 'execution' }]),
    { ...technique('T1000', []), revoked: true },
    { type: 'attack-pattern', id: 'broken' },
  ],
});
function tactic(id: string, mitre: string, shortname: string): object {
  const ref = [{ source_name: 'mitre-attack', external_id: mitre }];
  return {
    type: 'x-mitre-tactic',
    id,
    name: shortname,
    x_mitre_shortname: shortname,
    external_references: ref,
  };
}
function technique(mitre: string, phases: object[] | undefined): object {
  const ref = [{ source_name: 'mitre-attack', external_id: mitre }];
  return {
    type: 'attack-pattern',
    id: `ap-${mitre}`,
    name: mitre,
    kill_chain_phases: phases,
    external_references: ref,
  };
}

describe('parseAttackBundle on a trimmed bundle', () => {
  it('inherits tactics for sub-techniques without phases and drops revoked objects', () => {
    const catalog = parseAttackBundle(smallBundle, 'small');
    expect(catalog.tacticOrder).toEqual(['TA0001', 'TA0002']);
    expect(catalog.tacticsOf('T1059.001')).toEqual(['TA0002']);
    expect(catalog.tacticsOf('T1566')).toEqual([]);
    expect(catalog.techniques.has('T1000')).toBe(false);
  });

  it('throws on a bundle with no tactics or no bundle at all', () => {
    const noTactics = '{"type":"bundle","objects":[]}';
    expect(() => parseAttackBundle(noTactics, 'x')).toThrow(/no ATT&CK tactics/);
    expect(() => parseAttackBundle('{"type":"report"}', 'x')).toThrow();
  });
});

describe('loadAttackCatalog', () => {
  let server: Server;
  let url: string;
  let body = smallBundle;
  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/enterprise-attack.json`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('loads a bundle from a file path', async () => {
    const file = path.join(dir, 'small.json');
    await writeFile(file, smallBundle);
    const { warnings, warn } = collectWarnings();
    const catalog = await loadAttackCatalog({ source: file, cacheDir: path.join(dir, 'c0'), warn });
    expect(catalog.source).toBe(file);
    expect(catalog.techniques.size).toBe(3);
    expect(warnings).toEqual([]);
  });

  it('downloads from a URL, caches it, and uses the cache when the URL fails', async () => {
    const cacheDir = path.join(dir, 'cache');
    const first = collectWarnings();
    const fresh = await loadAttackCatalog({ source: url, cacheDir, warn: first.warn });
    expect(fresh.techniques.size).toBe(3);
    expect(first.warnings).toEqual([]);
    expect(await readdir(cacheDir)).toHaveLength(1);

    body = 'not json';
    const broken = collectWarnings();
    const fromBadBody = await loadAttackCatalog({ source: url, cacheDir, warn: broken.warn });
    expect(fromBadBody.techniques.size).toBe(3);
    expect(broken.warnings[0]?.message).toMatch(/cached copy/);

    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const offline = collectWarnings();
    const cached = await loadAttackCatalog({ source: url, cacheDir, warn: offline.warn });
    expect(cached.techniques.size).toBe(3);
    expect(cached.tacticOrder).toEqual(['TA0001', 'TA0002']);
    expect(offline.warnings).toHaveLength(1);
    expect(offline.warnings[0]?.message).toMatch(/cached copy/);
    expect(offline.warnings[0]?.fields?.url).toBe(url);

    const noCache = collectWarnings();
    const noCacheDir = path.join(dir, 'c1');
    const options = { source: url, cacheDir: noCacheDir, warn: noCache.warn };
    const empty = await loadAttackCatalog(options);
    expect(empty.techniques.size).toBe(0);
    expect(noCache.warnings[0]?.fields?.source).toBe(url);
  });

  it('without a source: an empty catalogue with the tactics, and a warning', async () => {
    const { warnings, warn } = collectWarnings();
    const catalog = await loadAttackCatalog({ cacheDir: dir, warn });
    expect(catalog.techniques.size).toBe(0);
    expect(catalog.tacticOrder).toHaveLength(14);
    expect(catalog.tacticOrder[0]).toBe('TA0043');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/ATTACK_BUNDLE/);
  });

  it('a broken or missing file: an empty catalogue and a warning naming the source', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"type": "bundle", "objects": [');
    for (const source of [file, path.join(dir, 'absent.json')]) {
      const { warnings, warn } = collectWarnings();
      const catalog = await loadAttackCatalog({ source, cacheDir: dir, warn });
      expect(catalog.techniques.size).toBe(0);
      expect(catalog.source).toContain(source);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.fields?.source).toBe(source);
    }
  });
});
