import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { parseInputFile } from '../../activities/prepare-input.js';
import { failureTypes, type FailureType } from '../../core/failures.js';

const key = 'input/day1.json';
const limit = 1024 * 1024;
const alert = { id: 'a', time: 1, src: 's', dst: 'd', name: 'n' };

const parse = (text: string | Buffer, max = limit) =>
  parseInputFile(key, typeof text === 'string' ? Buffer.from(text, 'utf8') : text, max);

/** The failure a bad file raises: typed, non-retryable, naming the file. */
function failureOf(text: string | Buffer, type: FailureType, max = limit): ApplicationFailure {
  let caught: unknown;
  try {
    parse(text, max);
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(ApplicationFailure);
  const failure = caught as ApplicationFailure;
  expect(failure.type).toBe(type);
  expect(failure.nonRetryable).toBe(true);
  expect(failure.message).toContain(key);
  return failure;
}

describe('parseInputFile', () => {
  it('reads {"input": [...], "node_feature": {...}}', () => {
    const parsed = parse(JSON.stringify({ input: [alert], node_feature: { s: { OS: 'Linux' } } }));
    expect(parsed).toEqual({ records: [alert], nodeFeature: { s: { OS: 'Linux' } }, rejected: [] });
  });

  it('accepts a bare array of alerts', () => {
    expect(parse(JSON.stringify([alert, alert]))).toEqual({
      records: [alert, alert],
      nodeFeature: {},
      rejected: [],
    });
  });

  it('accepts a UTF-8 byte order mark', () => {
    const json = Buffer.from(JSON.stringify({ input: [alert] }));
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]);
    expect(parse(body).records).toEqual([alert]);
  });

  it('accepts a null node_feature as none', () => {
    expect(parse(JSON.stringify({ input: [], node_feature: null })).nodeFeature).toEqual({});
  });

  it('fails on an empty or blank file', () => {
    expect(failureOf('', failureTypes.invalidInputFile).message).toMatch(/empty/);
    expect(failureOf(' \n\t', failureTypes.invalidInputFile).message).toMatch(/empty/);
  });

  it('fails on truncated JSON', () => {
    const text = JSON.stringify({ input: [alert, alert] }).slice(0, 30);
    expect(failureOf(text, failureTypes.invalidInputFile).message).toMatch(/not valid JSON/);
  });

  it('fails on JSON that is not an object or array', () => {
    for (const text of ['"text"', '42', 'null', 'true']) {
      expect(failureOf(text, failureTypes.invalidInputFile).message).toMatch(/expected \{"input"/);
    }
  });

  it('fails when "input" is missing or not an array, naming the field', () => {
    const notArray = failureOf('{"input": {"id": 1}}', failureTypes.invalidInputFile);
    expect(notArray.message).toContain('"input"');
    expect(notArray.details?.[0]).toEqual({ key, field: 'input' });
    expect(failureOf('{"alerts": []}', failureTypes.invalidInputFile).message).toContain('"input"');
  });

  it('rejects bad node_feature entries one host at a time', () => {
    const parsed = parse(
      JSON.stringify({
        input: [alert],
        node_feature: { good: { OS: 'Windows' }, text: 'Windows', list: ['a'], none: null },
      }),
    );
    expect(parsed.records).toEqual([alert]);
    expect(parsed.nodeFeature).toEqual({ good: { OS: 'Windows' } });
    expect(parsed.rejected.map((r) => r.field).sort()).toEqual([
      'node_feature.list',
      'node_feature.none',
      'node_feature.text',
    ]);
    expect(parsed.rejected[0]).toMatchObject({ file: key, index: -1 });
  });

  it('rejects a node_feature that is not an object at all', () => {
    const parsed = parse(JSON.stringify({ input: [alert], node_feature: ['a'] }));
    expect(parsed.records).toEqual([alert]);
    expect(parsed.rejected).toEqual([expect.objectContaining({ field: 'node_feature' })]);
  });

  it('fails with InputTooLarge over the byte limit, before parsing', () => {
    const text = JSON.stringify({ input: [alert] });
    const failure = failureOf(text, failureTypes.inputTooLarge, text.length - 1);
    expect(failure.message).toContain(`${text.length} bytes`);
    expect(failure.details?.[0]).toEqual({ key, bytes: text.length });
    expect(parse(text, text.length).records).toEqual([alert]);
    failureOf('{', failureTypes.inputTooLarge, 0);
  });
});
