/**
 * The campaign page's script: filters, selection, and the feedback dialogs. It sends the page's
 * CSRF token with every change and, once the FeedbackWorkflow has applied a request, reloads the
 * page with the request's outcome. Plain browser JavaScript, served inline under the CSP nonce.
 */
export const campaignPageScript = String.raw`
(() => {
  const data = JSON.parse(document.getElementById('page-data').textContent);
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const $ = (id) => document.getElementById(id);
  const rows = [...document.querySelectorAll('#events tbody tr')];
  const statusLine = $('feedback-status');
  const say = (text, bad) => { statusLine.textContent = text; statusLine.className = bad ? 'bad' : ''; };

  function applyFilters() {
    const text = $('filter-text').value.trim().toLowerCase();
    const tactic = $('filter-tactic').value;
    const showHidden = $('show-hidden').checked;
    for (const row of rows) {
      const visible = (!text || row.dataset.search.includes(text)) &&
        (!tactic || row.dataset.tactics.split(' ').includes(tactic)) &&
        (showHidden || row.dataset.hidden !== 'true');
      row.hidden = !visible;
    }
  }
  for (const id of ['filter-text', 'filter-tactic', 'show-hidden']) $(id).addEventListener('input', applyFilters);
  applyFilters();
  const selected = () => rows.filter((r) => !r.hidden && r.querySelector('.pick').checked).map((r) => r.dataset.id);

  async function send(path, body) {
    say('Sending…');
    try {
      const res = await fetch(path, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
        body: JSON.stringify(body),
      });
      const answer = await res.json();
      if (!res.ok) throw new Error(answer.error);
      say('Feedback accepted (' + answer.id + '); applying…');
      for (;;) {
        const record = await (await fetch('/api/feedback/' + answer.id)).json();
        if (record.status !== 'pending') {
          const gone = (record.removed || []).includes(data.campaign);
          const page = gone && record.campaigns[0] ? '/campaigns/' + encodeURIComponent(record.campaigns[0].id) : location.pathname;
          location.assign(page + '?feedback=' + encodeURIComponent(answer.id));
          return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    } catch (err) {
      say('Not accepted: ' + err.message, true);
    }
  }

  const option = (t) => { const o = document.createElement('option'); o.value = t.id; o.textContent = t.cluster + ' (' + t.size + ' events) ' + t.id; return o; };
  function weightInputs(box, names, kind) {
    box.replaceChildren();
    for (const name of names) {
      const label = document.createElement('label');
      label.textContent = name;
      const input = document.createElement('input');
      Object.assign(input, { type: 'number', step: '0.1', value: '0', name });
      input.dataset.kind = kind;
      input.setAttribute('aria-label', kind + ' weight ' + name);
      box.append(label, input);
    }
  }
  $('cut-open').addEventListener('click', () => {
    const ids = selected();
    if (ids.length === 0) return say('Select the events to cut first.', true);
    if (data.targets.length === 0) return say('This run has no other campaign to cut to.', true);
    $('cut-target-all').replaceChildren(...data.targets.map(option));
    const body = $('cut-events').querySelector('tbody');
    body.replaceChildren(...ids.map((id) => {
      const tr = document.createElement('tr');
      const name = document.createElement('td'); name.textContent = id;
      const cell = document.createElement('td');
      const select = document.createElement('select');
      select.className = 'cut-target'; select.dataset.id = id;
      select.append(...data.targets.map(option));
      cell.append(select); tr.append(name, cell);
      return tr;
    }));
    weightInputs($('event-weights'), data.eventAttributes, 'event');
    weightInputs($('node-weights'), data.nodeAttributes, 'node');
    $('cut-dialog').showModal();
  });
  $('cut-target-all').addEventListener('change', (ev) => {
    for (const s of document.querySelectorAll('.cut-target')) s.value = ev.target.value;
  });
  $('cut-confirm').addEventListener('click', () => {
    const targets = new Map();
    for (const s of document.querySelectorAll('.cut-target')) {
      if (!targets.has(s.value)) targets.set(s.value, []);
      targets.get(s.value).push(s.dataset.id);
    }
    const weights = { event: {}, node: {} };
    for (const input of document.querySelectorAll('.weights input')) {
      weights[input.dataset.kind][input.name] = Number(input.value);
    }
    $('cut-dialog').close();
    send('/api/feedback/cut', {
      source: data.campaign,
      targets: [...targets].map(([campaign, eventIds]) => ({ campaign, eventIds })),
      eventWeights: weights.event,
      nodeWeights: weights.node,
    });
  });
  const hide = (hidden) => () => {
    const eventIds = selected();
    if (eventIds.length === 0) return say('Select events first.', true);
    send('/api/feedback/hide', { campaign: data.campaign, eventIds, hidden });
  };
  $('hide-selected').addEventListener('click', hide(true));
  $('unhide-selected').addEventListener('click', hide(false));

  let editing = null;
  for (const button of document.querySelectorAll('.edit-tech')) {
    button.addEventListener('click', () => {
      editing = button.dataset;
      $('tech-event').textContent = editing.id;
      $('tech-name').textContent = editing.name;
      $('tech-input').value = editing.techniques;
      $('tech-same-name').checked = false;
      $('tech-dialog').showModal();
    });
  }
  $('tech-save').addEventListener('click', () => {
    const techniques = $('tech-input').value.split(',').map((t) => t.trim().toUpperCase()).filter(Boolean);
    $('tech-dialog').close();
    send('/api/feedback/techniques', {
      campaign: data.campaign, eventId: editing.id, techniques, sameName: $('tech-same-name').checked,
    });
  });
})();
`;
