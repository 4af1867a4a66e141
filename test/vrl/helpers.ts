import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalObjectStore } from '../../core/store/index.js';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** The shared data lives beside the repository, never inside it. */
export const sharedAlerts = path.resolve(repoRoot, '../shared/data/alerts');

export function tempStore(): { store: LocalObjectStore; root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'vrl-test-'));
  const cleanup = (): void => rmSync(root, { recursive: true, force: true });
  return { store: new LocalObjectStore(root), root, cleanup };
}

/**
 * Whether a shared sample is there. Missing data fails the run in CI (where it must be present)
 * and is skipped with a printed reason elsewhere.
 */
export function sharedSample(relative: string): string | undefined {
  const file = path.join(sharedAlerts, relative);
  if (existsSync(file)) return file;
  if (process.env.CI) throw new Error(`shared sample ${file} is missing; CI must have it`);
  console.warn(`skipping: shared sample ${file} is not on this machine`);
  return undefined;
}
