import { existsSync } from 'node:fs';
import path from 'node:path';

/** The shared data folder beside the checkout; its files are read there, never copied in. */
export const sharedDataRoot = path.resolve(import.meta.dirname, '../../../shared/data');

/**
 * A file of the shared data. `skip` is true when it is missing on a developer's machine (with a
 * printed reason); in CI a missing file is not skipped, so the tests that need it fail.
 */
export function sharedData(relative: string): { path: string; skip: boolean } {
  const full = path.join(sharedDataRoot, relative);
  const skip = !existsSync(full) && !process.env.CI;
  if (skip)
    console.warn(`skipping tests that need ${full}: it is missing (set CI=1 to fail instead)`);
  return { path: full, skip };
}
