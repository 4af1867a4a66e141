import type { AttackCatalog } from '../core/attack.js';
import type { Config } from '../core/config.js';
import type { ObjectStore } from '../core/store/index.js';
import type { ModelRunner } from '../models/runner.js';
import type { ElasticAlerts } from './tickets/elastic-alerts.js';
import type { JiraTickets } from './tickets/jira-client.js';
import type { KibanaCases } from './tickets/kibana-cases.js';
import type { VrlProgramSet } from './vrl/program-set.js';

/**
 * Everything activities need, built once per worker. Clients and secrets reach activities here,
 * never through workflow input or history.
 */
export interface ActivityDeps {
  config: Config;
  store: ObjectStore;
  models: ModelRunner;
  attack: AttackCatalog;
  /** The VRL programs, compiled when the worker starts. */
  vrl: VrlProgramSet;
  /** Set only when JIRA is configured; holds the token, so it never leaves the worker. */
  jira?: JiraTickets;
  /** Set only when Kibana is configured; holds the API key. */
  cases?: KibanaCases;
  /** Set only when Elasticsearch is configured, to link cases to their original alerts. */
  elastic?: ElasticAlerts;
}
