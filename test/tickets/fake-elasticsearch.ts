import { FakeHttpServer, type Answer, type FakeRequest } from './fake-http.js';

/** An alert document as Elastic Security stores it: flat `kibana.alert.*` keys. */
export interface FakeAlertDoc {
  _id: string;
  _index: string;
  _source: Record<string, unknown>;
}

/** Every answer carries it: the client refuses a server that does not say it is Elasticsearch. */
const product = { 'x-elastic-product': 'Elasticsearch' };

const error = (status: number, type: string, reason: string): Answer => ({
  status,
  headers: product,
  body: { error: { root_cause: [{ type, reason }], type, reason }, status },
});

/**
 * Elasticsearch's `_search` as the case step calls it: a `terms` query on one field over index
 * names or `*` patterns, `_source` filtering and `size`, with Elasticsearch's error bodies.
 */
export class FakeElasticsearch extends FakeHttpServer {
  readonly docs: FakeAlertDoc[] = [];

  constructor(private readonly apiKey: string) {
    super((req) => this.route(req));
  }

  /** Stores an alert of `rule` under its uuid, as a detection rule would have written it. */
  addAlert(uuid: string, rule: { id: string; name: string }, space = 'default'): void {
    this.docs.push({
      _id: uuid,
      _index: `.internal.alerts-security.alerts-${space}-000001`,
      _source: {
        'kibana.alert.uuid': uuid,
        'kibana.alert.rule.uuid': rule.id,
        'kibana.alert.rule.name': rule.name,
        'kibana.space_ids': [space],
        '@timestamp': '2024-02-10T08:00:00.000Z',
      },
    });
  }

  private route(req: FakeRequest): Answer {
    if (req.headers.authorization !== `ApiKey ${this.apiKey}`) {
      return error(401, 'security_exception', 'unable to authenticate with provided credentials');
    }
    const search = /^\/([^/]+)\/_search$/.exec(req.path);
    if (search && (req.method === 'POST' || req.method === 'GET')) {
      return this.search(decodeURIComponent(search[1]!), req);
    }
    return error(404, 'resource_not_found_exception', `no handler for ${req.method} ${req.path}`);
  }

  private search(indices: string, req: FakeRequest): Answer {
    const body = JSON.parse(req.body.toString() || '{}') as {
      size?: number;
      query?: { terms?: Record<string, string[]> };
      _source?: string[];
    };
    const terms = Object.entries(body.query?.terms ?? {});
    if (terms.length !== 1) {
      return error(400, 'parsing_exception', '[terms] query malformed, no field specified');
    }
    const [fieldName, values] = terms[0]!;
    const patterns = indices.split(',').map(indexPattern);
    // Aliases resolve to the backing index, which is what a hit's `_index` names.
    const alias = (index: string) => index.replace(/^\.internal\./, '.');
    const hits = this.docs
      .filter((d) => patterns.some((p) => p.test(d._index) || p.test(alias(d._index))))
      .filter((d) => values.includes(String(d._source[fieldName])))
      .slice(0, body.size ?? 10)
      .map((d) => ({ ...d, _score: 1, _source: pick(d._source, body._source) }));
    return {
      status: 200,
      headers: product,
      body: {
        took: 1,
        timed_out: false,
        _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
        hits: { total: { value: hits.length, relation: 'eq' }, max_score: 1, hits },
      },
    };
  }
}

const indexPattern = (name: string) =>
  new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);

function pick(source: Record<string, unknown>, fields: string[] | undefined) {
  if (!fields) return source;
  return Object.fromEntries(Object.entries(source).filter(([k]) => fields.includes(k)));
}
