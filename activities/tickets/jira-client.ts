import {
  createCloudClient,
  isApiError,
  isNotFoundError,
  isRateLimitError,
  type CloudClient,
} from 'jira.js';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { serviceFailure } from './failures.js';

type JiraSettings = NonNullable<Config['tickets']['jira']>;

export interface JiraIssueRef {
  id: string;
  key: string;
}

/** The few JIRA calls the ticketing step makes, with JIRA's errors turned into typed failures. */
export class JiraTickets {
  constructor(
    private readonly client: CloudClient,
    readonly project: string,
    readonly issueType: string,
  ) {}

  /** The issue carrying `label`, when one exists (the creation an earlier attempt made). */
  async findByLabel(label: string): Promise<JiraIssueRef | undefined> {
    const jql = `project = "${this.project}" AND labels = "${label}" ORDER BY created ASC`;
    const found = await call('search issues', () =>
      this.client.issueSearch.searchAndReconsileIssuesUsingJqlPost({
        jql,
        fields: ['status'],
        maxResults: 2,
      }),
    );
    const first = found.issues?.[0];
    return first?.id && first.key ? { id: first.id, key: first.key } : undefined;
  }

  /** The status name of an issue, or undefined when it no longer exists. */
  async status(key: string): Promise<string | undefined> {
    try {
      const issue = await this.client.issues.getIssue({ issueIdOrKey: key, fields: ['status'] });
      const status = (issue.fields as { status?: { name?: string } } | undefined)?.status;
      return status?.name ?? '';
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw toFailure('get issue', err);
    }
  }

  async create(summary: string, description: string, label: string): Promise<JiraIssueRef> {
    const created = await call('create issue', () =>
      this.client.issues.createIssue({
        fields: {
          project: { key: this.project },
          issuetype: { name: this.issueType },
          summary,
          description: adf(description),
          labels: [label],
        },
      }),
    );
    return { id: String(created.id), key: String(created.key) };
  }

  async updateText(key: string, summary: string, description: string): Promise<void> {
    await call('edit issue', () =>
      this.client.issues.editIssue({
        issueIdOrKey: key,
        fields: { summary, description: adf(description) },
      }),
    );
  }

  async attachmentNames(key: string): Promise<Set<string>> {
    const issue = await call('get issue', () =>
      this.client.issues.getIssue({ issueIdOrKey: key, fields: ['attachment'] }),
    );
    const files = (issue.fields as { attachment?: { filename?: string }[] } | undefined)
      ?.attachment;
    return new Set((files ?? []).flatMap((f) => (f.filename ? [f.filename] : [])));
  }

  async attach(key: string, filename: string, content: Buffer): Promise<void> {
    await call('add attachment', () =>
      this.client.issueAttachments.addAttachment({
        issueIdOrKey: key,
        attachments: { filename, content: new Uint8Array(content) },
      }),
    );
  }
}

export function createJiraTickets(settings: JiraSettings, logger: Logger): JiraTickets {
  const auth = settings.email
    ? ({ type: 'basic', email: settings.email, apiToken: settings.apiToken } as const)
    : ({ type: 'bearer', token: settings.apiToken } as const);
  const client = createCloudClient({
    host: settings.url,
    auth,
    // jira.js reports fields its schemas do not know on stderr; route them to our log instead.
    onSchemaMismatch: (report) =>
      logger.debug({ endpoint: report.endpoint }, 'JIRA answer differs from the jira.js schema'),
  });
  return new JiraTickets(client, settings.project, settings.issueType);
}

/** Plain text as an Atlassian Document: one paragraph per line, so v3 takes it unchanged. */
function adf(text: string) {
  return {
    type: 'doc',
    version: 1,
    content: text.split('\n').map((line) => ({
      type: 'paragraph',
      content: line ? [{ type: 'text', text: line }] : [],
    })),
  };
}

async function call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toFailure(operation, err);
  }
}

/** JIRA's own words from its error body: `errorMessages` and the per-field `errors`. */
function jiraMessage(body: unknown, fallback: string): string {
  if (body && typeof body === 'object') {
    const { errorMessages, errors } = body as {
      errorMessages?: string[];
      errors?: Record<string, string>;
    };
    const parts = [
      ...(errorMessages ?? []),
      ...Object.entries(errors ?? {}).map(([field, message]) => `${field}: ${message}`),
    ];
    if (parts.length > 0) return parts.join('; ');
  }
  return typeof body === 'string' && body ? body.slice(0, 500) : fallback;
}

function toFailure(operation: string, err: unknown): Error {
  if (isApiError(err)) {
    return serviceFailure({
      service: 'JIRA',
      operation,
      status: err.status,
      message: jiraMessage(err.body, err.statusText),
      retryAfterMs: isRateLimitError(err) ? err.retryAfterMs : undefined,
    });
  }
  // Network faults and anything unexpected: retryable, with the cause's message only.
  return serviceFailure({
    service: 'JIRA',
    operation,
    status: 0,
    message: err instanceof Error ? err.message : String(err),
  });
}
