import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVrlPrograms, programNamed, runVrl } from '../../activities/vrl/index.js';
import { repoRoot } from './helpers.js';

const examplesDir = path.join(repoRoot, 'vrl/examples');
const programs = loadVrlPrograms();
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

describe('every VRL program maps its examples to the expected output', () => {
  for (const program of readdirSync(examplesDir)) {
    const files = readdirSync(path.join(examplesDir, program));
    const cases = files.filter((f) => f.endsWith('.input.json'));
    it(`${program} has examples`, () => expect(cases.length).toBeGreaterThan(0));
    for (const file of cases) {
      it(`${program}: ${file}`, () => {
        const input = readJson(path.join(examplesDir, program, file)) as unknown[];
        const expectedFile = file.replace('.input.', '.expected.');
        const expected = readJson(path.join(examplesDir, program, expectedFile));
        const outcomes = runVrl(programNamed(programs, program), input);
        const actual = outcomes.map((o) => (o.ok ? o.value : { _error: o.reason }));
        expect(actual).toEqual(expected);
      });
    }
  }

  it('has examples for every built-in program', () => {
    expect(readdirSync(examplesDir).sort()).toEqual([...programs.programs.keys()].sort());
  });
});
