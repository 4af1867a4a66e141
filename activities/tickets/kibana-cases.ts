import type { Config } from '../../core/config.js';
import { retryAfterMs, serviceFailure } from './failures.js';

type CasesSettings = NonNullable<Config['tickets']['cases']>;

/** The part of a Kibana case the ticketing step reads. */
export interface KibanaCase {
  id: string;
  version: string;
  status: string;
  title: string;
  description: string;
  tags: string[];
}

/** An alert comment as `POST /api/cases/{id}/comments` takes it: parallel id and index lists. */
export interface AlertComment {
  alertId: string[];
  index: string[];
  rule: { id: string; name: string };
}

interface CaseComment {
  type: string;
  alertId?: string | string[];
}

/** Cases belong to an app; Elastic Security's is `securitySolution`. */
const owner = 'securitySolution';
/** The largest page Kibana serves of a case's comments. */
const commentsPerPage = 100;

/**
 * Kibana's Cases API (`/api/cases`) over fetch: create, get, find by tag, update with the case's
 * version, and attach a file. Errors become typed failures carrying Kibana's message.
 */
export class KibanaCases {
  private readonly base: string;
  private readonly apiKey: string;

  constructor(settings: CasesSettings) {
    const root = settings.kibanaUrl.replace(/\/+$/, '');
    this.base = settings.space ? `${root}/s/${encodeURIComponent(settings.space)}` : root;
    this.apiKey = settings.apiKey;
  }

  async create(title: string, description: string, tag: string): Promise<KibanaCase> {
    const made = await this.json<KibanaCase>('create case', 'POST', '/api/cases', {
      title,
      description,
      tags: [tag],
      owner,
      severity: 'medium',
      connector: { id: 'none', name: 'none', type: '.none', fields: null },
      settings: { syncAlerts: false },
    });
    return made as KibanaCase;
  }

  /** The case, or undefined when it was deleted. */
  async get(id: string): Promise<KibanaCase | undefined> {
    const path = `/api/cases/${encodeURIComponent(id)}`;
    return this.json<KibanaCase>('get case', 'GET', path, undefined, true);
  }

  async findByTag(tag: string): Promise<KibanaCase | undefined> {
    const query = new URLSearchParams({ tags: tag, owner, sortField: 'createdAt' });
    const found = await this.json<{ cases: KibanaCase[] }>(
      'find cases',
      'GET',
      `/api/cases/_find?${query.toString()}`,
    );
    return found?.cases[0];
  }

  /** Kibana refuses the update (409) when `version` is stale, so a concurrent edit is not lost. */
  async update(current: KibanaCase, title: string, description: string): Promise<KibanaCase> {
    const updated = await this.json<KibanaCase[]>('update case', 'PATCH', '/api/cases', {
      cases: [{ id: current.id, version: current.version, title, description }],
    });
    return updated![0]!;
  }

  async attachFile(caseId: string, filename: string, content: Buffer): Promise<void> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(content)]), filename);
    form.append('filename', filename.replace(/\.[^.]+$/, ''));
    await this.request('attach file', 'POST', `/api/cases/${encodeURIComponent(caseId)}/files`, {
      body: form,
    });
  }

  /** The ids of the alerts already attached to the case, from its alert comments. */
  async linkedAlertIds(caseId: string): Promise<Set<string>> {
    const linked = new Set<string>();
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ page: String(page), perPage: String(commentsPerPage) });
      const found = await this.json<{ comments: CaseComment[]; total: number }>(
        'find comments',
        'GET',
        `/api/cases/${encodeURIComponent(caseId)}/comments/_find?${query.toString()}`,
      );
      const comments = found?.comments ?? [];
      for (const c of comments) {
        if (c.type === 'alert') [c.alertId ?? []].flat().forEach((id) => linked.add(id));
      }
      if (comments.length === 0 || page * commentsPerPage >= (found?.total ?? 0)) return linked;
    }
  }

  async attachAlerts(caseId: string, comment: AlertComment): Promise<void> {
    const path = `/api/cases/${encodeURIComponent(caseId)}/comments`;
    await this.json('attach alerts', 'POST', path, { type: 'alert', owner, ...comment });
  }

  private async json<T>(
    operation: string,
    method: string,
    path: string,
    body?: unknown,
    missingIsUndefined = false,
  ): Promise<T | undefined> {
    const response = await this.request(operation, method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      json: body !== undefined,
      missingIsUndefined,
    });
    return response ? ((await response.json()) as T) : undefined;
  }

  private async request(
    operation: string,
    method: string,
    path: string,
    options: { body?: string | FormData; json?: boolean; missingIsUndefined?: boolean },
  ): Promise<Response | undefined> {
    const headers: Record<string, string> = {
      Authorization: `ApiKey ${this.apiKey}`,
      'kbn-xsrf': 'alert-pipeline',
      Accept: 'application/json',
    };
    if (options.json) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.base}${path}`, { method, headers, body: options.body });
    } catch (err) {
      throw serviceFailure({
        service: 'Kibana',
        operation,
        status: 0,
        message: (err as Error).message,
      });
    }
    if (response.ok) return response;
    if (response.status === 404 && options.missingIsUndefined) return undefined;
    const text = await response.text();
    let message = text.slice(0, 500) || response.statusText;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // Not JSON (a proxy's error page): keep the start of the text.
    }
    throw serviceFailure({
      service: 'Kibana',
      operation,
      status: response.status,
      message,
      retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
    });
  }
}
