import type { Campaign } from '../activities/tickets/campaign-store.js';
import type { ClusterRecord, FlowRecord } from '../core/output-formats.js';
import { escapeHtml as e } from './html.js';

const nodeWidth = 150;
const nodeHeight = 54;
const gap = 70;
const rowHeight = 110;
const perRow = 5;

interface Node {
  id: string;
  size: number;
  start: number;
  campaign?: Campaign;
  x: number;
  y: number;
}

/**
 * The attack flow a campaign belongs to, as inline SVG: its clusters left to right in the
 * order they started, the flow's edges as arrows with their scores. Clusters that are campaigns
 * link to their page; the campaign shown is highlighted.
 */
export function flowSvg(
  flow: FlowRecord | undefined,
  clusters: ClusterRecord[],
  current: Campaign,
  campaigns: Campaign[],
): string {
  const byCluster = new Map(campaigns.map((c) => [c.cluster, c]));
  const known = new Map(clusters.map((c) => [c.id, c]));
  const ids = flow?.cluster_ids.length ? flow.cluster_ids : [current.cluster];
  const nodes: Node[] = ids
    .map((id) => {
      const campaign = byCluster.get(id);
      const cluster = known.get(id);
      return {
        id,
        campaign,
        size: campaign?.size ?? cluster?.size ?? 0,
        start: campaign?.start ?? cluster?.start ?? 0,
        x: 0,
        y: 0,
      };
    })
    .sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  nodes.forEach((n, i) => {
    n.x = 20 + (i % perRow) * (nodeWidth + gap);
    n.y = 20 + Math.floor(i / perRow) * rowHeight;
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const width = 40 + Math.min(nodes.length, perRow) * (nodeWidth + gap) - gap;
  const height = 40 + Math.ceil(nodes.length / perRow) * rowHeight - (rowHeight - nodeHeight);

  const edges = (flow?.edges ?? []).flatMap((edge) => {
    const from = at.get(edge.from);
    const to = at.get(edge.to);
    if (!from || !to) return [];
    const [x1, y1] = [from.x + nodeWidth, from.y + nodeHeight / 2];
    const [x2, y2] = [to.x, to.y + nodeHeight / 2];
    const bend = y1 === y2 ? 0 : 30;
    const path = `M${x1},${y1} C${x1 + 40},${y1 + bend} ${x2 - 40},${y2 - bend} ${x2},${y2}`;
    const label = `<text class="edge-score" x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 6}">${e(
      edge.score.toFixed(2),
    )}</text>`;
    return [`<path class="edge" d="${path}" marker-end="url(#arrow)"/>${label}`];
  });

  const boxes = nodes.map((n) => {
    const mark = n.id === current.cluster ? ' current' : '';
    const box =
      `<rect class="node${mark}" x="${n.x}" y="${n.y}" width="${nodeWidth}" ` +
      `height="${nodeHeight}" rx="8"/>` +
      `<text class="node-title" x="${n.x + 12}" y="${n.y + 22}">${e(n.id)}</text>` +
      `<text class="node-size" x="${n.x + 12}" y="${n.y + 42}">${n.size} events</text>`;
    const link = n.campaign && n.id !== current.cluster;
    return link
      ? `<a href="/campaigns/${encodeURIComponent(n.campaign!.id)}">${box}</a>`
      : `<g>${box}</g>`;
  });

  return (
    `<svg class="flow" role="img" aria-label="attack flow ${e(current.flow)}" ` +
    `viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ` +
    'xmlns="http://www.w3.org/2000/svg">' +
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" ' +
    'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>' +
    edges.join('') +
    boxes.join('') +
    '</svg>'
  );
}
