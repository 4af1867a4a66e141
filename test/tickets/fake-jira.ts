import { FakeHttpServer, formParts, type Answer, type FakeRequest } from './fake-http.js';

/** An issue as the fake JIRA keeps it. */
export interface FakeIssue {
  id: string;
  key: string;
  summary: string;
  /** The description's text, flattened from the ADF document JIRA was sent. */
  description: string;
  labels: string[];
  status: string;
  attachments: { id: string; filename: string; size: number; content: string }[];
}

const descriptionLimit = 32_767;
const notFound = {
  errorMessages: ['Issue does not exist or you do not have permission to see it.'],
  errors: {},
};

/**
 * The JIRA Cloud REST v3 endpoints the ticketing step calls, with JIRA's status codes and error
 * bodies: create, get, edit, search by JQL label, add attachment (multipart).
 */
export class FakeJira extends FakeHttpServer {
  readonly issues = new Map<string, FakeIssue>();
  /** Set to make the next create succeed but drop the connection before answering. */
  dropNextCreateAnswer = false;
  private next = 10000;

  constructor(
    readonly project: string,
    private readonly email: string,
    private readonly token: string,
  ) {
    super((req) => this.route(req));
  }

  setStatus(key: string, status: string): void {
    this.issues.get(key)!.status = status;
  }

  private route(req: FakeRequest): Answer | Promise<Answer> {
    const expected = `Basic ${Buffer.from(`${this.email}:${this.token}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return { status: 401, body: { errorMessages: ['You are not authenticated.'], errors: {} } };
    }
    const issuePath = /^\/rest\/api\/3\/issue\/([^/]+)$/.exec(req.path);
    const attachPath = /^\/rest\/api\/3\/issue\/([^/]+)\/attachments$/.exec(req.path);
    if (req.method === 'POST' && req.path === '/rest/api/3/issue') return this.create(req);
    if (req.method === 'POST' && req.path === '/rest/api/3/search/jql') return this.search(req);
    if (issuePath && req.method === 'GET') return this.get(issuePath[1]!);
    if (issuePath && req.method === 'PUT') return this.edit(issuePath[1]!, req);
    if (attachPath && req.method === 'POST') return this.attach(attachPath[1]!, req);
    return { status: 404, body: { errorMessages: ['No such endpoint'], errors: {} } };
  }

  private create(req: FakeRequest): Answer {
    const { fields } = JSON.parse(req.body.toString()) as { fields: Record<string, unknown> };
    const errors: Record<string, string> = {};
    if ((fields.project as { key?: string })?.key !== this.project) {
      errors.project = 'valid project is required';
    }
    if (!(fields.issuetype as { name?: string })?.name) errors.issuetype = 'Specify an issue type';
    if (!fields.summary) errors.summary = 'You must specify a summary of the issue.';
    const description = textOf(fields.description, errors);
    if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
    const id = String(this.next++);
    const key = `${this.project}-${this.issues.size + 1}`;
    this.issues.set(key, {
      id,
      key,
      summary: String(fields.summary),
      description,
      labels: (fields.labels as string[]) ?? [],
      status: 'To Do',
      attachments: [],
    });
    const body = { id, key, self: `${this.url}/rest/api/3/issue/${id}` };
    if (this.dropNextCreateAnswer) {
      this.dropNextCreateAnswer = false;
      return { status: 201, body, dropConnection: true };
    }
    return { status: 201, body };
  }

  private get(key: string): Answer {
    const issue = this.issues.get(key);
    if (!issue) return { status: 404, body: notFound };
    return { status: 200, body: this.view(issue) };
  }

  private edit(key: string, req: FakeRequest): Answer {
    const issue = this.issues.get(key);
    if (!issue) return { status: 404, body: notFound };
    const { fields } = JSON.parse(req.body.toString()) as { fields: Record<string, unknown> };
    const errors: Record<string, string> = {};
    const description = textOf(fields.description, errors);
    if (Object.keys(errors).length) return { status: 400, body: { errorMessages: [], errors } };
    issue.description = description;
    if (fields.summary) issue.summary = String(fields.summary);
    return { status: 204 };
  }

  private search(req: FakeRequest): Answer {
    const { jql } = JSON.parse(req.body.toString()) as { jql: string };
    const label = /labels\s*=\s*"([^"]+)"/.exec(jql)?.[1];
    if (!label) {
      return {
        status: 400,
        body: { errorMessages: [`Error in the JQL Query: ${jql}`], errors: {} },
      };
    }
    const issues = [...this.issues.values()].filter((i) => i.labels.includes(label));
    return { status: 200, body: { issues: issues.map((i) => this.view(i)), isLast: true } };
  }

  private async attach(key: string, req: FakeRequest): Promise<Answer> {
    if (req.headers['x-atlassian-token'] !== 'no-check') {
      return { status: 403, body: { errorMessages: ['XSRF check failed'], errors: {} } };
    }
    const issue = this.issues.get(key);
    if (!issue) return { status: 404, body: notFound };
    const added = [];
    for (const part of (await formParts(req)).getAll('file')) {
      const file = part as File;
      const content = await file.text();
      const attachment = { id: String(this.next++), filename: file.name, size: file.size, content };
      issue.attachments.push(attachment);
      added.push({ id: attachment.id, filename: file.name, size: file.size });
    }
    return { status: 200, body: added };
  }

  private view(issue: FakeIssue) {
    return {
      id: issue.id,
      key: issue.key,
      self: `${this.url}/rest/api/3/issue/${issue.id}`,
      fields: {
        summary: issue.summary,
        labels: issue.labels,
        status: { name: issue.status, id: '1' },
        attachment: issue.attachments.map(({ id, filename, size }) => ({ id, filename, size })),
      },
    };
  }
}

/** The text of an ADF document; JIRA v3 refuses a plain string in a rich-text field. */
function textOf(doc: unknown, errors: Record<string, string>): string {
  if (doc === undefined) return '';
  if (typeof doc !== 'object' || (doc as { type?: string }).type !== 'doc') {
    errors.description = 'Operation value must be an Atlassian Document (see the ADF format).';
    return '';
  }
  const blocks = (doc as { content: { content?: { text?: string }[] }[] }).content;
  const text = blocks.map((b) => (b.content ?? []).map((n) => n.text ?? '').join('')).join('\n');
  if (text.length > descriptionLimit) {
    errors.description =
      'The entered text is too long. It exceeds the allowed limit of 32,767 characters.';
  }
  return text;
}
