import path from 'node:path';
import type { ActivityDeps } from '../activities/deps.js';
import { loadAttackCatalog } from '../core/attack.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { createObjectStore } from '../core/store/index.js';
import { LocalModelRunner } from '../models/runner.js';
import { createSageMakerRunner } from '../models/sagemaker-client.js';
import { loadTechniqueModel } from '../models/technique-text-model.js';
import { loadVrlPrograms } from '../activities/vrl/program-set.js';
import { createJiraTickets } from '../activities/tickets/jira-client.js';
import { ElasticAlerts } from '../activities/tickets/elastic-alerts.js';
import { KibanaCases } from '../activities/tickets/kibana-cases.js';

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
  // A model file that cannot be read stops the worker: silently lower accuracy would be worse.
  const textModel = config.techniqueModel
    ? await loadTechniqueModel(config.techniqueModel)
    : undefined;
  logger.info({ model: config.techniqueModel ?? 'none' }, 'technique text model');
  const models =
    config.models.backend === 'sagemaker'
      ? createSageMakerRunner(config.models.sagemaker, store, logger)
      : new LocalModelRunner(store, attack, textModel);
  logger.info({ backend: models.backend }, 'model backend');
  const { jira, cases, elasticsearch } = config.tickets;
  logger.info(
    {
      jira: jira ? jira.url : 'off',
      cases: cases ? cases.kibanaUrl : 'off',
      caseAlerts: elasticsearch ? `${elasticsearch.url} ${elasticsearch.alertsIndex}` : 'off',
    },
    'ticketing integrations',
  );
  return {
    config,
    store,
    attack,
    vrl,
    models,
    jira: jira ? createJiraTickets(jira, logger) : undefined,
    cases: cases ? new KibanaCases(cases) : undefined,
    elastic: elasticsearch ? new ElasticAlerts(elasticsearch) : undefined,
  };
}
