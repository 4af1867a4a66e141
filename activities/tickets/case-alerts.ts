import { log } from '@temporalio/activity';
import type { ObjectStore } from '../../core/store/index.js';
import type { ElasticAlerts, OriginalAlert } from './elastic-alerts.js';
import { notConfigured } from './failures.js';
import type { AlertComment, KibanaCases } from './kibana-cases.js';
import { loadTicketCluster } from './ticket-input.js';

export interface LinkCaseAlertsArgs {
  run: string;
  enrichAlertInputKey: string;
  cluster: string;
  caseId: string;
}

/** Counts only: alert ids stay out of workflow history, which a large cluster would swell. */
export interface CaseAlertLinks {
  cluster: string;
  case: string;
  /** Attached by this call. */
  linked: number;
  /** Found in Elasticsearch and already on the case (an earlier attempt or run). */
  alreadyLinked: number;
  /** The cluster's alerts Elasticsearch does not hold: they came from another SIEM. */
  notInElastic: number;
  /** Found but left off: the case already holds as many alerts as Kibana allows. */
  overLimit: number;
}

/** Kibana refuses more alerts on one case than this (`MAX_ALERTS_PER_CASE`). */
export const maxAlertsPerCase = 1000;

/**
 * Links a case to the original Elastic Security alerts of its cluster: the cluster's alert ids
 * are the users' ids, which the Elastic VRL program takes from `kibana.alert.uuid`, so the
 * alerts indices find exactly the alerts that came from Elastic. Exactly once by content: the
 * alerts already on the case are read first and skipped, so a retry after Kibana stored a
 * comment but before its answer arrived, or a rerun, attaches nothing twice.
 */
export function makeLinkCaseAlerts(deps: {
  store: ObjectStore;
  cases?: KibanaCases;
  elastic?: ElasticAlerts;
}) {
  return async function linkCaseAlerts(args: LinkCaseAlertsArgs): Promise<CaseAlertLinks | 'off'> {
    const { cases, elastic } = deps;
    if (!elastic) return 'off';
    if (!cases) throw notConfigured('Kibana', 'KIBANA_URL and KIBANA_API_KEY');
    const { run, cluster, caseId } = args;
    const { entry } = await loadTicketCluster(deps.store, args.enrichAlertInputKey, cluster);
    const uuids = [...new Set(entry.cluster.alert_ids)];
    const found = await elastic.find(uuids);
    const linked = await cases.linkedAlertIds(caseId);
    const fresh = found.filter((a) => !linked.has(a.id));
    const room = Math.max(0, maxAlertsPerCase - linked.size);
    const toLink = fresh.slice(0, room);
    for (const comment of byRule(toLink)) await cases.attachAlerts(caseId, comment);
    const result: CaseAlertLinks = {
      cluster,
      case: caseId,
      linked: toLink.length,
      alreadyLinked: found.length - fresh.length,
      notInElastic: uuids.length - found.length,
      overLimit: fresh.length - toLink.length,
    };
    log.info('case alerts linked', { run, index: elastic.alertsIndex, ...result });
    return result;
  };
}

/** One comment per detection rule: Kibana shows an alert comment under its rule's name. */
function byRule(alerts: OriginalAlert[]): AlertComment[] {
  const comments = new Map<string, AlertComment>();
  for (const alert of alerts) {
    const key = `${alert.rule.id}\u0000${alert.rule.name}`;
    let comment = comments.get(key);
    if (!comment) {
      comment = { alertId: [], index: [], rule: alert.rule };
      comments.set(key, comment);
    }
    comment.alertId.push(alert.id);
    comment.index.push(alert.index);
  }
  return [...comments.values()];
}
