import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { publishedSchemas } from '../../core/output-formats.js';

/**
 * The JSON Schemas in schemas/ are what users read; they are generated from the zod schemas the
 * code validates with. `npm run schemas` rewrites them; this test fails when they drift.
 */
const dir = path.resolve(import.meta.dirname, '../../schemas');

describe('published JSON Schemas of the output files', () => {
  it.each(Object.entries(publishedSchemas))('%s matches the zod schema', (file, schema) => {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12' });
    const generated = `${JSON.stringify(json, null, 2)}\n`;
    const target = path.join(dir, file);
    if (process.env.UPDATE_SCHEMAS) writeFileSync(target, generated);
    expect(existsSync(target), `${target} is missing; run npm run schemas`).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(generated);
  });
});
