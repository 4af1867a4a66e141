import { ApplicationFailure } from '@temporalio/common';

/**
 * Failures of JIRA and Kibana calls, one `type` per kind. A rejected request (400) or refused
 * credentials never succeed on retry; a rate limit or an outage may, and a rate limit waits as
 * long as the service asked.
 */
export const ticketFailureTypes = {
  rejected: 'TicketServiceRejected',
  unauthorized: 'TicketServiceUnauthorized',
  rateLimited: 'TicketServiceRateLimited',
  unavailable: 'TicketServiceUnavailable',
  notConfigured: 'TicketServiceNotConfigured',
} as const;

export type TicketService = 'JIRA' | 'Kibana' | 'Elasticsearch';

export interface ServiceAnswer {
  service: TicketService;
  operation: string;
  status: number;
  /** The service's own words, taken from its error body. */
  message: string;
  retryAfterMs?: number;
}

export function serviceFailure(answer: ServiceAnswer): ApplicationFailure {
  const { service, operation, status, message, retryAfterMs } = answer;
  const text = `${service} ${operation}: ${status} ${message}`;
  const details = [{ service, operation, status }];
  if (status === 400 || status === 404 || status === 413 || status === 422) {
    return ApplicationFailure.create({
      type: ticketFailureTypes.rejected,
      message: text,
      nonRetryable: true,
      details,
    });
  }
  if (status === 401 || status === 403) {
    return ApplicationFailure.create({
      type: ticketFailureTypes.unauthorized,
      message: text,
      nonRetryable: true,
      details,
    });
  }
  if (status === 429) {
    return ApplicationFailure.create({
      type: ticketFailureTypes.rateLimited,
      message: text,
      details,
      // Retry-After beats the policy's backoff: JIRA counts requests made before it allows.
      nextRetryDelay: retryAfterMs,
    });
  }
  return ApplicationFailure.create({
    type: ticketFailureTypes.unavailable,
    message: text,
    details,
  });
}

export function notConfigured(service: TicketService, settings: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: ticketFailureTypes.notConfigured,
    message: `${service} is not configured on this worker (set ${settings})`,
    nonRetryable: true,
  });
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds; undefined when absent or bad. */
export function retryAfterMs(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
