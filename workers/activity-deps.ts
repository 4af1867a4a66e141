import path from 'node:path';
import type { ActivityDeps } from '../activities/deps.js';
import { loadAttackCatalog } from '../core/attack.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { createObjectStore } from '../core/store/index.js';
import { LocalModelRunner } from '../models/runner.js';
import { loadVrlPrograms } from '../activities/vrl/program-set.js';

/** Builds the clients and catalogues a worker's activities share. */
export async function createActivityDeps(config: Config, logger: Logger): Promise<ActivityDeps> {
  // Compiled first: a VRL program that does not compile stops the worker with its diagnostics.
  const vrl = loadVrlPrograms({ dir: config.vrl.dir, mappings: config.vrl.mappings });
  logger.info({ dir: vrl.dir, programs: [...vrl.programs.keys()] }, 'VRL programs compiled');
  const store = createObjectStore(config.store);
  const attack = await loadAttackCatalog({
    source: config.attackBundle,
    cacheDir: path.join(config.dataDir, 'cache'),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
  });
  logger.info(
    { source: attack.source, techniques: attack.techniques.size, tactics: attack.tactics.length },
    'ATT&CK catalogue loaded',
  );
  return { config, store, attack, vrl, models: new LocalModelRunner(store, attack) };
}
