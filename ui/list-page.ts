import type { CampaignItem } from './campaign-data.js';
import { tacticName } from './campaign-data.js';
import { html, isoTime, raw } from './html.js';
import type { CampaignTickets } from './ticket-links.js';

export function ticketCell(links: CampaignTickets): string {
  const link = (label: string, l?: { ticket: string; url?: string }) =>
    !l
      ? ''
      : l.url
        ? html`<a href="${l.url}" rel="noreferrer">${label} ${l.ticket}</a> `
        : html`${label} ${l.ticket} `;
  return link('JIRA', links.jira) + link('Case', links.case) || '—';
}

/** Every campaign, newest activity first. */
export function listPageBody(campaigns: CampaignItem[]): string {
  const rows = campaigns.map(
    (c) =>
      html`<tr data-campaign="${c.id}">
        <td>
          <a href="/campaigns/${encodeURIComponent(c.id)}">${c.summary}</a><br /><small
            >${c.id}</small
          >
        </td>
        <td class="events">${c.size}</td>
        <td>${c.tactics.map(tacticName).join(', ') || '—'}</td>
        <td>${isoTime(c.start)}<br />${isoTime(c.end)}</td>
        <td>
          ${c.entities.slice(0, 6).join(', ')}${c.entities.length > 6 ? ` (+${c.entities.length - 6})` : ''}
        </td>
        <td>${raw(ticketCell(c))}</td>
      </tr>`,
  );
  return html`<h1>Campaigns</h1>
    ${campaigns.length === 0 ? raw('<p>No campaigns yet: they appear when a run finishes.</p>') : ''}
    <table id="campaigns">
      <thead>
        <tr>
          <th>Campaign</th>
          <th>Events</th>
          <th>Tactics</th>
          <th>Time range</th>
          <th>Entities</th>
          <th>JIRA and case</th>
        </tr>
      </thead>
      <tbody>
        ${raw(rows.join(''))}
      </tbody>
    </table>`;
}
