import { describe, expect, it } from 'vitest';
import { checkMappedAlert, wellTypedAlert } from '../../activities/vrl/alert-check.js';
import { inputAlertSchema } from '../../core/formats.js';

const good = {
  time: 1509799715.198583,
  src: '10.0.254.30',
  dst: '10.0.0.101',
  name: 'ET POLICY Suspicious inbound to mySQL port 3306',
  tech: [],
  other_attributes_dict: { priority: 2, port: 3306, signature_id: '2010937', proto: 'TCP' },
};

/** Every field of `good` replaced, one at a time, by values of every kind. */
function variants(): Record<string, unknown>[] {
  const odd = [undefined, null, '', 'x', 0, -1, 1.5, -0, NaN, Infinity, 70000, true, [], {}];
  const values: Record<string, unknown[]> = {
    id: [...odd, 'a:1', 42],
    time: odd,
    src: odd,
    dst: odd,
    name: odd,
    tech: [...odd, ['T1055'], ['T1055.001', 'T1003'], ['t1055'], [1], Array(2)],
  };
  const out: Record<string, unknown>[] = [];
  for (const [key, list] of Object.entries(values)) {
    for (const v of list) out.push({ ...good, [key]: v });
  }
  for (const key of ['priority', 'port', 'url', 'user_agent', 'cert', 'extra']) {
    for (const v of odd) {
      out.push({ ...good, other_attributes_dict: { ...good.other_attributes_dict, [key]: v } });
    }
  }
  for (const attrs of [undefined, null, [], 'x', { z: 1, cert: 'c', port: 80, a: [1] }]) {
    out.push({ ...good, other_attributes_dict: attrs });
  }
  out.push({ ...good, extra: 'stripped' }, JSON.parse('{"other_attributes_dict":{"__proto__":1}}'));
  return out;
}

describe('checking mapped alerts without a schema parse', () => {
  it('builds exactly what the schema builds, key order included, or defers to it', () => {
    let fast = 0;
    for (const value of variants()) {
      const parsed = inputAlertSchema.safeParse(
        value.id === undefined ? { ...value, id: 'n:0' } : value,
      );
      const built = wellTypedAlert(value, value.id === undefined ? 'n:0' : value.id);
      if (built) {
        fast++;
        expect(parsed.success, JSON.stringify(value)).toBe(true);
        expect(JSON.stringify(built)).toBe(JSON.stringify(parsed.data));
        expect(built).toStrictEqual(parsed.data);
      }
      const checked = checkMappedAlert(value, 'n:0');
      if (parsed.success) expect(checked).toStrictEqual({ alert: parsed.data });
      else
        expect(checked).toMatchObject({
          reason: expect.stringMatching(/^mapped alert is invalid: field /),
        });
    }
    // The common case must take the fast path, or it buys nothing.
    expect(fast).toBeGreaterThan(40);
  });

  it('words a rejection as the schema does', () => {
    const checked = checkMappedAlert({ ...good, name: '', time: -1 }, 'n:0');
    expect(checked).toEqual({
      reason:
        'mapped alert is invalid: field time: Too small: expected number to be >=0; ' +
        'field name: Too small: expected string to have >=1 characters',
    });
  });
});
