import type { ObjectStore } from '../core/store/index.js';
import type { IngestResult, SplunkInputResult, TicketStepResult } from '../workflows/index.js';

export interface RunSummary {
  workflowId: string;
  webUi?: string;
  result?: IngestResult;
  splunk?: SplunkInputResult;
  error?: string;
  inputKey: string;
  /** The same object had run before: this is that run's result. */
  reused?: boolean;
  /** False when the product stops after the run, taking the Web UI with it. */
  serving?: boolean;
}

/** The lines a person reads after a run: counts, where rejections and outputs are, the Web UI. */
export function formatSummary(summary: RunSummary, store: ObjectStore): string {
  const again = summary.reused ? ' (already ran: the earlier run of this content)' : '';
  const lines = [`run ${summary.workflowId} (${summary.inputKey})${again}`];
  const reasons = (count: number, key: string): string =>
    count > 0 ? `  (reasons: ${store.describe(key)})` : '';
  const sp = summary.splunk;
  if (sp) {
    lines.push(
      `  export records ${sp.records}`,
      `  mapped by VRL  ${sp.mapped}  (into ${store.describe(sp.mergedKey)})`,
      `  not mapped     ${sp.failed}${reasons(sp.failed, sp.failedPrefix)}`,
    );
  }
  const r = summary.result;
  if (r) {
    lines.push(
      `  alerts in      ${r.alerts + r.rejected}`,
      `  accepted       ${r.alerts}`,
      `  rejected       ${r.rejected}${reasons(r.rejected, r.rejectedKey)}`,
      `  clusters       ${r.clusters}`,
      `  flows          ${r.flows}`,
      `  batches        ${r.clusterBatches} clustering, ${r.continuedAsNew} continue-as-new`,
      `  event.json     ${store.describe(r.outputs.eventKey)}`,
      `  cluster.json   ${store.describe(r.outputs.clusterKey)}`,
      `  flow.json      ${store.describe(r.outputs.flowKey)}`,
      `  tickets input  ${store.describe(r.outputs.enrichAlertInputKey)}`,
    );
  }
  const t = r?.tickets;
  if (t) {
    const c = t.campaigns;
    const tickets = (s: TicketStepResult | 'off'): string =>
      s === 'off'
        ? 'off (not configured)'
        : `${s.created} created, ${s.updated} updated, ` +
          `${s.replaced} replaced, ${s.adopted} adopted`;
    const campaigns =
      c === 'off'
        ? 'off'
        : `${c.created} created, ${c.updated} updated, ${c.belowThreshold} below the thresholds`;
    lines.push(
      `  campaigns      ${campaigns}`,
      `  JIRA           ${tickets(t.jira)}`,
      `  cases          ${tickets(t.cases)}`,
    );
  }
  if (summary.error) lines.push(`  FAILED         ${summary.error}`);
  if (summary.webUi) {
    const note = summary.serving === false ? '  (while the product serves: run --serve)' : '';
    lines.push(`  Web UI         ${summary.webUi}${note}`);
  }
  return lines.join('\n');
}
