import type { FeedbackRecord } from '../core/feedback-formats.js';
import type { CampaignDetail, UiEvent } from './campaign-data.js';
import { tacticName } from './campaign-data.js';
import { html, isoTime, raw } from './html.js';
import { pageData } from './layout.js';
import { ticketCell } from './list-page.js';

/** What a stored feedback record tells the analyst who sent it. */
export function feedbackBanner(id: string, record: FeedbackRecord | undefined): string {
  if (!record)
    return html`<p class="banner" role="status">Feedback ${id} accepted; not applied yet.</p>`;
  if (record.status !== 'applied') {
    return html`<p class="banner bad" role="alert">
      Feedback ${id} ${record.status}: ${record.reason ?? ''}
    </p>`;
  }
  const sizes = record.campaigns.map((c) => `${c.id} now has ${c.size} events`);
  const removed = record.removed.map((c) => `${c} was emptied and removed`);
  return html`<p class="banner" role="status">
    Feedback ${id} applied. ${[...sizes, ...removed].join('; ')}
  </p>`;
}

function eventRow(e: UiEvent): string {
  const search = [e.id, e.name, e.src, e.dst, ...e.techniques].join(' ').toLowerCase();
  return html`<tr
    data-id="${e.id}"
    data-search="${search}"
    data-tactics="${e.tactics.join(' ')}"
    data-hidden="${e.hidden}"
    ${e.hidden ? raw(' class="hidden-event"') : ''}
  >
    <td><input type="checkbox" class="pick" aria-label="select ${e.id}" value="${e.id}" /></td>
    <td>${isoTime(e.time)}</td>
    <td>${e.id}</td>
    <td class="name">${e.name}</td>
    <td>${e.src}</td>
    <td>${e.dst}</td>
    <td class="techniques">${e.techniques.join(', ')}</td>
    <td>${e.tactics.map(tacticName).join(', ')}</td>
    <td>
      <button
        type="button"
        class="edit-tech"
        data-id="${e.id}"
        data-name="${e.name}"
        data-techniques="${e.techniques.join(',')}"
      >
        Edit techniques
      </button>
    </td>
  </tr>`;
}

export function campaignPageBody(detail: CampaignDetail, banner: string): string {
  const { campaign: c, stages, events } = detail;
  const tactics = [...new Set(events.flatMap((e) => e.tactics))];
  const stageLists = stages.map(
    (s) =>
      html`<section class="stage">
        <h3>${s.name} (${s.events.length})</h3>
        <ol>
          ${raw(
            s.events
              .map(
                (e) =>
                  html`<li>${isoTime(e.time)} ${e.name} <small>${e.src} → ${e.dst}</small></li>`,
              )
              .join(''),
          )}
        </ol>
      </section>`,
  );
  const data = {
    campaign: c.id,
    targets: detail.targets,
    eventAttributes: detail.eventAttributes,
    nodeAttributes: detail.nodeAttributes,
  };
  return html`${raw(banner)}
    <h1>${c.summary}</h1>
    <dl class="facts">
      <dt>Campaign</dt>
      <dd>${c.id} (flow ${c.flow})</dd>
      <dt>Events</dt>
      <dd><span id="event-count">${c.size}</span></dd>
      <dt>Time range</dt>
      <dd>${isoTime(c.start)} to ${isoTime(c.end)}</dd>
      <dt>Tactics</dt>
      <dd>${c.tactics.map(tacticName).join(', ') || '—'}</dd>
      <dt>Techniques</dt>
      <dd>${c.techniques.join(', ') || '—'}</dd>
      <dt>Entities</dt>
      <dd>${c.entities.join(', ')}</dd>
      <dt>JIRA and case</dt>
      <dd>${raw(ticketCell(c))}</dd>
    </dl>
    <h2>Flow</h2>
    ${raw(detail.flowSvg)}
    <h2>Stages</h2>
    <div class="stages">${raw(stageLists.join(''))}</div>
    <h2>Events</h2>
    <div class="toolbar">
      <input
        id="filter-text"
        type="search"
        placeholder="Filter by id, name, host, technique"
        aria-label="filter events"
      />
      <select id="filter-tactic" aria-label="filter by tactic">
        <option value="">All tactics</option>
        ${raw(tactics.map((t) => html`<option value="${t}">${tacticName(t)}</option>`).join(''))}
      </select>
      <label><input id="show-hidden" type="checkbox" /> Show hidden</label>
      <button type="button" id="cut-open">Cut selected…</button>
      <button type="button" id="hide-selected">Hide selected</button>
      <button type="button" id="unhide-selected">Show selected again</button>
      <span id="feedback-status" role="status"></span>
    </div>
    <table id="events">
      <thead>
        <tr>
          <th></th>
          <th>Time</th>
          <th>Id</th>
          <th>Name</th>
          <th>Source</th>
          <th>Destination</th>
          <th>Techniques</th>
          <th>Tactics</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        ${raw(events.map(eventRow).join(''))}
      </tbody>
    </table>
    <dialog id="cut-dialog">
      <form method="dialog">
        <h2>Cut events</h2>
        <label
          >Target campaign for all
          <select id="cut-target-all"></select
        ></label>
        <table id="cut-events">
          <thead>
            <tr>
              <th>Event</th>
              <th>Target</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
        <h3>Event-attribute weights</h3>
        <div class="weights" id="event-weights"></div>
        <h3>Node-attribute weights</h3>
        <div class="weights" id="node-weights"></div>
        <p>
          <button type="button" id="cut-confirm">Confirm cut</button>
          <button value="cancel">Cancel</button>
        </p>
      </form>
    </dialog>
    <dialog id="tech-dialog">
      <form method="dialog">
        <h2>Techniques of <span id="tech-event"></span></h2>
        <label>ATT&amp;CK ids, comma-separated <input id="tech-input" type="text" /></label>
        <label
          ><input id="tech-same-name" type="checkbox" /> Every event named <q id="tech-name"></q
        ></label>
        <p>
          <button type="button" id="tech-save">Save</button> <button value="cancel">Cancel</button>
        </p>
      </form>
    </dialog>
    ${raw(pageData(data))}`;
}
