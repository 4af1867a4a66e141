import { Client, errors } from '@elastic/elasticsearch';
import type { Config } from '../../core/config.js';
import { retryAfterMs, serviceFailure } from './failures.js';

type ElasticSettings = NonNullable<Config['tickets']['elasticsearch']>;

/** An original Elastic Security alert: what a case's alert comment names. */
export interface OriginalAlert {
  /** `kibana.alert.uuid`: the internal alert id the VRL program kept. */
  uuid: string;
  /** The document's `_id` and `_index`, which Kibana needs to open the alert from the case. */
  id: string;
  index: string;
  rule: { id: string; name: string };
}

/** Ids per search: far below the terms query's 65,536 limit, and a modest response. */
const idsPerSearch = 1000;
const uuidField = 'kibana.alert.uuid';
const ruleIdField = 'kibana.alert.rule.uuid';
const ruleNameField = 'kibana.alert.rule.name';

/**
 * Finds the original alert documents in Elastic Security's alerts indices by `kibana.alert.uuid`.
 * Errors become the ticketing failures (a 400 fails at once, a 429 waits for Retry-After); the
 * client itself does not retry, since the activity's retry policy already does.
 */
export class ElasticAlerts {
  private readonly client: Client;
  readonly alertsIndex: string;

  constructor(settings: ElasticSettings) {
    this.client = new Client({
      node: settings.url,
      auth: { apiKey: settings.apiKey },
      maxRetries: 0,
      requestTimeout: 60_000,
    });
    this.alertsIndex = settings.alertsIndex;
  }

  /** The alerts among `uuids` that Elasticsearch holds; others did not come from Elastic. */
  async find(uuids: string[]): Promise<OriginalAlert[]> {
    const found = new Map<string, OriginalAlert>();
    for (let start = 0; start < uuids.length; start += idsPerSearch) {
      const batch = uuids.slice(start, start + idsPerSearch);
      for (const alert of await this.search(batch)) {
        // A uuid in two indices (a reindexed space) is one alert; keep the first seen.
        if (!found.has(alert.uuid)) found.set(alert.uuid, alert);
      }
    }
    return [...found.values()];
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private async search(uuids: string[]): Promise<OriginalAlert[]> {
    try {
      const answer = await this.client.search<Record<string, unknown>>({
        index: this.alertsIndex,
        size: uuids.length,
        ignore_unavailable: true,
        allow_no_indices: true,
        query: { terms: { [uuidField]: uuids } },
        _source: [uuidField, ruleIdField, ruleNameField],
      });
      return answer.hits.hits.flatMap((hit) => {
        const uuid = field(hit._source, uuidField);
        if (!uuid || !hit._id) return [];
        const rule = {
          id: field(hit._source, ruleIdField),
          name: field(hit._source, ruleNameField),
        };
        return [{ uuid, id: hit._id, index: hit._index, rule }];
      });
    } catch (err) {
      throw elasticFailure(err);
    }
  }
}

/**
 * A string field of an alert document, whether stored flat (`"kibana.alert.uuid"`, as the
 * alerts indices do) or nested (`{kibana: {alert: {uuid}}}`, as reindexed copies may be).
 */
export function field(source: Record<string, unknown> | undefined, path: string): string {
  const flat = source?.[path];
  if (typeof flat === 'string') return flat;
  let value: unknown = source;
  for (const part of path.split('.')) {
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : null;
  }
  return typeof value === 'string' ? value : '';
}

function elasticFailure(err: unknown) {
  const operation = 'search alerts';
  if (err instanceof errors.ResponseError) {
    const body = err.body as { error?: { reason?: string } | string } | undefined;
    const reason = typeof body?.error === 'string' ? body.error : body?.error?.reason;
    const retryAfter = err.headers?.['retry-after'];
    return serviceFailure({
      service: 'Elasticsearch',
      operation,
      status: err.statusCode ?? 0,
      message: reason ?? err.message,
      retryAfterMs: retryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
    });
  }
  // Connection refused, timeouts, a server that is not Elasticsearch: worth another attempt.
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return serviceFailure({ service: 'Elasticsearch', operation, status: 0, message });
}
