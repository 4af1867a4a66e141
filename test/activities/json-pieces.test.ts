import { describe, expect, it } from 'vitest';
import { jsonDocumentBytes, jsonListBytes, WritePool } from '../../activities/json-pieces.js';

const records = Array.from({ length: 4500 }, (_, n) => ({
  id: `a${n}`,
  name: n % 7 === 0 ? 'quote " and \\ and \u2028 and \u00e9' : 'plain',
  gone: undefined,
  list: n % 3 === 0 ? [] : [n, null, 'x'],
}));

describe('json pieces', () => {
  it('writes the very bytes JSON.stringify writes, across many pieces', () => {
    expect(jsonListBytes(records, (r) => r).toString('utf8')).toBe(JSON.stringify(records));
    const head = { run: 'r-1', outputPrefix: 'output/r-1' };
    expect(jsonDocumentBytes(head, 'events', records, (r) => r).toString('utf8')).toBe(
      JSON.stringify({ ...head, events: records }),
    );
  });

  it('handles empty lists, an empty head and records with no JSON form', () => {
    expect(jsonListBytes([], (r) => r).toString()).toBe('[]');
    expect(jsonDocumentBytes({}, 'flows', [], (r) => r).toString()).toBe('{"flows":[]}');
    expect(jsonListBytes([1, 2], () => undefined).toString()).toBe(
      JSON.stringify([undefined, undefined]),
    );
  });

  it('maps each record on the way out', () => {
    const out = jsonDocumentBytes({ run: 'r' }, 'ids', records, (r) => r.id).toString();
    expect(JSON.parse(out)).toEqual({ run: 'r', ids: records.map((r) => r.id) });
  });
});

describe('WritePool', () => {
  it('writes every item once, never more than the limit at a time', async () => {
    let inFlight = 0;
    let most = 0;
    const written: number[] = [];
    const pool = new WritePool(4);
    for (let n = 0; n < 50; n++) {
      await pool.add(async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, n % 3));
        written.push(n);
        inFlight--;
      });
    }
    await pool.drain();
    expect(written.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(most).toBe(4);
  });

  it('fails the whole when one write fails', async () => {
    const pool = new WritePool(2);
    const writeAll = async (): Promise<void> => {
      await pool.add(() => Promise.reject(new Error('disk full')));
      await pool.add(() => Promise.resolve());
      await pool.drain();
    };
    await expect(writeAll()).rejects.toThrow('disk full');
  });
});
