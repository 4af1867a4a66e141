import type { Client } from '@temporalio/client';

/**
 * Every string and every payload of a workflow's history as one text, payload bytes decoded as
 * UTF-8, so that a scan for a secret sees what Temporal stored rather than byte arrays.
 */
export async function historyText(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<string> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (value instanceof Uint8Array) parts.push(Buffer.from(value).toString('utf8'));
    else if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(history);
  return parts.join('\n');
}
