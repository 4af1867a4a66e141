import type { Client } from '@temporalio/client';

export type Interval = [number, number];

/** Total length of a set of intervals, counting overlaps once (parallel activities). */
export function unionLength(intervals: Interval[]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined): number =>
  Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;

export interface StepTimes {
  /** Wall time of the workflow and its children, first event to last. */
  totalMs: number;
  /** Time inside activities, per activity type, overlaps counted once. */
  perStep: Map<string, number>;
  /** When each step's activities ran, as epoch-millisecond intervals. */
  intervals: Map<string, Interval[]>;
  /** Share of the total not spent inside any activity: Temporal round trips and scheduling. */
  temporalShare: number;
}

/**
 * Time per step from the workflow histories of a run (every run of a continue-as-new chain and,
 * followed from the histories, every child workflow), as the Web UI's timeline shows it.
 */
export async function stepTimes(client: Client, workflowIds: string[]): Promise<StepTimes> {
  const byType = new Map<string, Interval[]>();
  const all: Interval[] = [];
  let first = Infinity;
  let last = -Infinity;
  const toRead = [...workflowIds];
  const read = new Set<string>();
  for (let workflowId = toRead.shift(); workflowId; workflowId = toRead.shift()) {
    if (read.has(workflowId)) continue;
    read.add(workflowId);
    for await (const run of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
      const history = await client.workflow.getHandle(workflowId, run.runId).fetchHistory();
      const scheduled = new Map<string, string>();
      const started = new Map<string, number>();
      for (const event of history.events ?? []) {
        const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
        if (child?.workflowId) toRead.push(child.workflowId);
        const at = ms(event.eventTime);
        first = Math.min(first, at);
        last = Math.max(last, at);
        const id = String(event.eventId);
        const s = event.activityTaskScheduledEventAttributes;
        if (s) scheduled.set(id, s.activityType?.name ?? '?');
        const st = event.activityTaskStartedEventAttributes;
        if (st) started.set(String(st.scheduledEventId), at);
        const done = event.activityTaskCompletedEventAttributes;
        if (done) {
          const key = String(done.scheduledEventId);
          const interval: Interval = [started.get(key) ?? at, at];
          const type = scheduled.get(key) ?? '?';
          const list = byType.get(type);
          if (list) list.push(interval);
          else byType.set(type, [interval]);
          all.push(interval);
        }
      }
    }
  }
  const totalMs = last - first;
  const perStep = new Map([...byType].map(([type, list]) => [type, unionLength(list)]));
  return {
    totalMs,
    perStep,
    intervals: byType,
    temporalShare: totalMs > 0 ? 1 - unionLength(all) / totalMs : 0,
  };
}
