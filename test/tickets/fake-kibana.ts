import { randomUUID } from 'node:crypto';
import { FakeHttpServer, formParts, type Answer, type FakeRequest } from './fake-http.js';

export interface FakeCase {
  id: string;
  version: string;
  status: 'open' | 'in-progress' | 'closed';
  title: string;
  description: string;
  tags: string[];
  owner: string;
  files: { filename: string; content: string }[];
  comments: FakeAlertComment[];
}

export interface FakeAlertComment {
  id: string;
  type: 'alert';
  alertId: string[];
  index: string[];
  rule: { id: string; name: string };
  owner: string;
}

const error = (statusCode: number, name: string, message: string): Answer => ({
  status: statusCode,
  body: { statusCode, error: name, message },
});

/**
 * Kibana's Cases API as the case step calls it: create, get, find by tag, update with version
 * (409 when stale) and attach a file, with Kibana's status codes and `{statusCode, error,
 * message}` error bodies.
 */
export class FakeKibana extends FakeHttpServer {
  readonly cases = new Map<string, FakeCase>();
  /** Store the next alert comment, then drop the connection before Kibana's answer. */
  dropNextCommentAnswer = false;
  private versions = 0;

  constructor(private readonly apiKey: string) {
    super((req) => this.route(req));
  }

  setStatus(id: string, status: FakeCase['status']): void {
    const c = this.cases.get(id)!;
    c.status = status;
    c.version = this.nextVersion();
  }

  private nextVersion(): string {
    return Buffer.from(`[${++this.versions},1]`).toString('base64');
  }

  private route(req: FakeRequest): Answer | Promise<Answer> {
    if (req.headers.authorization !== `ApiKey ${this.apiKey}`) {
      return error(401, 'Unauthorized', 'unable to authenticate with provided credentials');
    }
    if (req.method !== 'GET' && !req.headers['kbn-xsrf']) {
      return error(400, 'Bad Request', 'Request must contain a kbn-xsrf header.');
    }
    const one = /^\/api\/cases\/([^/_][^/]*)$/.exec(req.path);
    const files = /^\/api\/cases\/([^/]+)\/files$/.exec(req.path);
    const comments = /^\/api\/cases\/([^/]+)\/comments(\/_find)?$/.exec(req.path);
    if (req.method === 'POST' && req.path === '/api/cases') return this.create(req);
    if (req.method === 'PATCH' && req.path === '/api/cases') return this.update(req);
    if (req.method === 'GET' && req.path === '/api/cases/_find') return this.find(req);
    if (req.method === 'GET' && one) return this.get(one[1]!);
    if (req.method === 'POST' && files) return this.attach(files[1]!, req);
    if (req.method === 'GET' && comments?.[2]) return this.findComments(comments[1]!, req);
    if (req.method === 'POST' && comments && !comments[2]) return this.comment(comments[1]!, req);
    return error(404, 'Not Found', 'Not Found');
  }

  private create(req: FakeRequest): Answer {
    const body = JSON.parse(req.body.toString()) as Partial<FakeCase>;
    if (!body.owner)
      return error(400, 'Bad Request', 'Invalid value "undefined" supplied to "owner"');
    if ((body.title ?? '').length > 160) {
      return error(
        400,
        'Bad Request',
        'The length of the title is too long. The maximum length is 160.',
      );
    }
    if ((body.description ?? '').length > 30_000) {
      return error(
        400,
        'Bad Request',
        'The length of the description is too long. The maximum length is 30000.',
      );
    }
    const made: FakeCase = {
      id: randomUUID(),
      version: this.nextVersion(),
      status: 'open',
      title: body.title ?? '',
      description: body.description ?? '',
      tags: body.tags ?? [],
      owner: body.owner,
      files: [],
      comments: [],
    };
    this.cases.set(made.id, made);
    return { status: 200, body: view(made) };
  }

  private get(id: string): Answer {
    const found = this.cases.get(id);
    return found ? { status: 200, body: view(found) } : notFound(id);
  }

  private find(req: FakeRequest): Answer {
    const tags = req.query.getAll('tags');
    const found = [...this.cases.values()].filter((c) => tags.every((t) => c.tags.includes(t)));
    return {
      status: 200,
      body: { cases: found.map(view), page: 1, per_page: 20, total: found.length },
    };
  }

  private update(req: FakeRequest): Answer {
    const { cases } = JSON.parse(req.body.toString()) as { cases: Partial<FakeCase>[] };
    const updated = [];
    for (const patch of cases) {
      const current = this.cases.get(patch.id ?? '');
      if (!current) return notFound(patch.id ?? '');
      if (current.version !== patch.version) {
        return error(
          409,
          'Conflict',
          `This case ${current.id} has been updated. ` +
            'Please refresh before saving additional updates.',
        );
      }
      Object.assign(current, {
        title: patch.title ?? current.title,
        description: patch.description ?? current.description,
        version: this.nextVersion(),
      });
      updated.push(view(current));
    }
    return { status: 200, body: updated };
  }

  private async attach(id: string, req: FakeRequest): Promise<Answer> {
    const found = this.cases.get(id);
    if (!found) return notFound(id);
    const file = (await formParts(req)).get('file') as File | null;
    if (!file)
      return error(400, 'Bad Request', '[request body.file]: expected value of type [object]');
    found.files.push({ filename: file.name, content: await file.text() });
    return { status: 200, body: view(found) };
  }

  private findComments(id: string, req: FakeRequest): Answer {
    const found = this.cases.get(id);
    if (!found) return notFound(id);
    const page = Number(req.query.get('page') ?? 1);
    const perPage = Number(req.query.get('perPage') ?? 20);
    if (perPage > 100) return error(400, 'Bad Request', 'The provided perPage value is too high');
    const comments = found.comments.slice((page - 1) * perPage, page * perPage);
    return {
      status: 200,
      body: { comments, page, per_page: perPage, total: found.comments.length },
    };
  }

  private comment(id: string, req: FakeRequest): Answer {
    const found = this.cases.get(id);
    if (!found) return notFound(id);
    const body = JSON.parse(req.body.toString()) as Partial<FakeAlertComment>;
    const { alertId = [], index = [] } = body;
    if (body.type !== 'alert' || !body.owner || !body.rule || alertId.length !== index.length) {
      return error(400, 'Bad Request', 'Invalid value supplied to "alertId", "index" or "rule"');
    }
    const total = found.comments.reduce((n, c) => n + c.alertId.length, alertId.length);
    if (total > maxAlertsPerCase) {
      return error(400, 'Bad Request', `A case can't have more than ${maxAlertsPerCase} alerts`);
    }
    const { rule, owner } = body;
    found.comments.push({ id: randomUUID(), type: 'alert', alertId, index, rule, owner });
    found.version = this.nextVersion();
    const dropConnection = this.dropNextCommentAnswer;
    this.dropNextCommentAnswer = false;
    return { status: 200, body: view(found), dropConnection };
  }
}

/** Kibana's `MAX_ALERTS_PER_CASE`. */
const maxAlertsPerCase = 1000;

const notFound = (id: string) => error(404, 'Not Found', `Saved object [cases/${id}] not found`);

function view(c: FakeCase) {
  const { files, comments, ...rest } = c;
  const totalAlerts = comments.reduce((n, x) => n + x.alertId.length, 0);
  return { ...rest, totalComment: files.length, totalAlerts, comments: [] };
}
