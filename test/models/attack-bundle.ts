import { readFileSync } from 'node:fs';
import { parseAttackBundle, type AttackCatalog } from '../../core/attack.js';
import { sharedData } from '../helpers/shared-data.js';

const bundle = sharedData('attack/enterprise-attack.json');

/** The real ATT&CK Enterprise bundle, shared between checkouts and never copied into the repo. */
export const attackBundlePath = bundle.path;
export const skipWithoutBundle = bundle.skip;

export function loadAttackBundle(): AttackCatalog {
  return parseAttackBundle(readFileSync(attackBundlePath, 'utf8'), attackBundlePath);
}
