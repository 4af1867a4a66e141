import { describe, expect, it } from 'vitest';
import { transformJobName } from '../../models/sagemaker-job-name.js';

const valid = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;

describe('transformJobName', () => {
  it('keeps a short step name readable and adds a hash of step and model', () => {
    const name = transformJobName('day1-0123456789ab-technique-3', 'technique-v1');
    expect(name).toMatch(/^day1-0123456789ab-technique-3-[0-9a-f]{8}$/);
    expect(name).toMatch(valid);
    expect(transformJobName('day1-0123456789ab-technique-3', 'technique-v1')).toBe(name);
    expect(transformJobName('day1-0123456789ab-technique-3', 'technique-v2')).not.toBe(name);
  });

  it('cleans characters SageMaker refuses and keeps cleaned names apart', () => {
    const a = transformJobName('_day1.part_2-abc-flow', 'flow-v1');
    const b = transformJobName('_day1_part.2-abc-flow', 'flow-v1');
    expect(a).toMatch(/^day1-part-2-abc-flow-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(b).toMatch(valid);
  });

  it('cuts long names to 63 characters, retry suffix included, without losing uniqueness', () => {
    const long = `${'x'.repeat(80)}-0123456789ab`;
    const names = [0, 1, 12, 99].flatMap((attempt) => [
      transformJobName(`${long}-cluster-00001`, 'm', attempt),
      transformJobName(`${long}-cluster-00002`, 'm', attempt),
    ]);
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(63);
      expect(name).toMatch(valid);
    }
    expect(new Set(names).size).toBe(names.length);
    expect(names[2]).toBe(`${names[0]}-r1`);
  });

  it('refuses attempts it cannot name', () => {
    expect(() => transformJobName('a', 'm', 100)).toThrow(RangeError);
    expect(() => transformJobName('a', 'm', -1)).toThrow(RangeError);
  });
});
