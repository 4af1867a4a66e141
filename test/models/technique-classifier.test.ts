import { beforeAll, describe, expect, it } from 'vitest';
import { AttackCatalog, type Technique } from '../../core/attack.js';
import { techniqueModelOutputSchema } from '../../core/formats.js';
import { classifyTechniques, parentTechnique } from '../../models/technique-classifier.js';
import { techniqueIndex } from '../../models/technique-index.js';
import { loadAttackBundle, skipWithoutBundle } from './attack-bundle.js';

const predict = (attack: AttackCatalog, name: string) =>
  classifyTechniques({ names: [name] }, attack).predictions[0]!.techniques;
const ids = (attack: AttackCatalog, name: string) => predict(attack, name).map((t) => t.id);

describe.skipIf(skipWithoutBundle)('classifyTechniques on the real ATT&CK bundle', () => {
  let attack: AttackCatalog;
  beforeAll(() => {
    attack = loadAttackBundle();
  });

  it('reads a technique name as a phrase', () => {
    expect(ids(attack, 'Brute Force')[0]).toBe('T1110');
    expect(ids(attack, 'Network Service Discovery via nmap')[0]).toBe('T1046');
    expect(ids(attack, 'Remote Desktop Protocol login from the internet')[0]).toBe('T1021.001');
    expect(predict(attack, 'Brute Force')[0]!.score).toBeGreaterThanOrEqual(0.85);
  });

  it('takes explicit technique ids at full confidence, whatever their case', () => {
    expect(predict(attack, 'T1059.001 seen')[0]).toEqual({ id: 'T1059.001', score: 1 });
    expect(predict(attack, 'rule t1046 fired')[0]).toEqual({ id: 'T1046', score: 1 });
  });

  it('names the parent of a sub-technique id the catalogue does not know', () => {
    expect(predict(attack, 'T1059.999 and T9999')).toEqual([{ id: 'T1059', score: 0.95 }]);
  });

  it('prefers the longer name that contains a shorter one', () => {
    expect(ids(attack, 'Suspicious PowerShell execution')[0]).toBe('T1059.001');
    const profile = ids(attack, 'PowerShell Profile modified');
    expect(profile[0]).toBe('T1546.013');
    expect(profile).not.toContain('T1059.001');
  });

  it('reports every technique a name speaks of, best first, at most three', () => {
    const found = predict(attack, 'SSH brute force: password spraying against domain accounts');
    expect(found.map((t) => t.id)).toEqual(expect.arrayContaining(['T1021.004', 'T1110.003']));
    expect(found.length).toBeLessThanOrEqual(3);
    const scores = found.map((t) => t.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true);
  });

  it('finds words of a name out of order, with less confidence than the phrase', () => {
    const [top] = predict(attack, 'tunneling of a protocol');
    expect(top?.id).toBe('T1572');
    expect(top!.score).toBeLessThan(0.9);
  });

  it('does not let a one-word sub-technique name that is an ordinary word take over', () => {
    expect(ids(attack, 'Mimikatz credential dumping from LSASS memory')).toEqual([
      'T1003.001',
      'T1003',
    ]);
    expect(ids(attack, 'Web Shell detected on server')).toEqual(['T1505.003']);
  });

  it('gives an empty list to a name with no evidence', () => {
    expect(predict(attack, 'hello world')).toEqual([]);
    expect(predict(attack, '')).toEqual([]);
  });

  it('answers once per distinct name, in the order names first appear', () => {
    const out = classifyTechniques({ names: ['b Brute Force', 'a', 'b Brute Force', 'a'] }, attack);
    expect(out.predictions.map((p) => p.name)).toEqual(['b Brute Force', 'a']);
    expect(() => techniqueModelOutputSchema.parse(out)).not.toThrow();
  });

  it('classifies thousands of names against one index, the same way each time', () => {
    const names = Array.from({ length: 5000 }, (_, k) =>
      k % 2 === 0 ? `Brute Force on host-${k}` : `Process Discovery on host-${k}`,
    );
    const first = classifyTechniques({ names }, attack);
    expect(first.predictions).toHaveLength(5000);
    first.predictions.forEach((p, k) => {
      expect(p.techniques[0]?.id).toBe(k % 2 === 0 ? 'T1110' : 'T1057');
    });
    expect(techniqueIndex(attack)).toBe(techniqueIndex(attack));
    expect(classifyTechniques({ names }, attack)).toEqual(first);
  });
});

describe('classifyTechniques on other catalogues', () => {
  it('accepts any well-formed id when the catalogue is empty, and nothing else', () => {
    const empty = AttackCatalog.empty('x');
    expect(predict(empty, 'T1059.001 and T9999 brute force')).toEqual([
      { id: 'T1059.001', score: 1 },
      { id: 'T9999', score: 1 },
    ]);
    expect(predict(empty, 'Brute Force')).toEqual([]);
  });

  it('never predicts a deprecated technique', () => {
    const techniques: Technique[] = [
      { id: 'T1110', name: 'Brute Force', tactics: ['TA0006'], deprecated: true },
      { id: 'T1046', name: 'Network Service Discovery', tactics: ['TA0007'], deprecated: false },
    ];
    const attack = new AttackCatalog(AttackCatalog.empty('x').tactics, techniques, 'test');
    expect(predict(attack, 'Brute Force T1110')).toEqual([]);
    expect(ids(attack, 'network service discovery, not brute force')).toEqual(['T1046']);
  });
});

describe('parentTechnique', () => {
  it('strips the sub-technique part and leaves a technique alone', () => {
    expect(parentTechnique('T1059.001')).toBe('T1059');
    expect(parentTechnique('T1059')).toBe('T1059');
  });
});
