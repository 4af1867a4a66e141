import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAttackBundle, type AttackCatalog } from '../../core/attack.js';

/** The real ATT&CK Enterprise bundle, shared between checkouts and never copied into the repo. */
export const attackBundlePath = path.resolve(
  import.meta.dirname,
  '../../../shared/data/attack/enterprise-attack.json',
);

/** In CI a missing bundle must fail the suite; on a laptop it only skips it, saying why. */
export const skipWithoutBundle = !existsSync(attackBundlePath) && !process.env.CI;
if (skipWithoutBundle) {
  console.warn(`skipping ATT&CK bundle tests: ${attackBundlePath} is missing (set CI to fail)`);
}

export function loadAttackBundle(): AttackCatalog {
  return parseAttackBundle(readFileSync(attackBundlePath, 'utf8'), attackBundlePath);
}
