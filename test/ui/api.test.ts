import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/config.js';
import { LocalObjectStore } from '../../core/store/index.js';
import type { FeedbackAction } from '../../starters/feedback-signal.js';
import { startCampaignUi, type CampaignUi } from '../../ui/server.js';
import { testLogger } from '../helpers/temporal.js';
import { seedCampaigns } from './campaign-fixture.js';

const token = 'ui-token-for-api-tests-7f3a9c';
const sent: FeedbackAction[] = [];
let dir: string;
let ui: CampaignUi;
let ids: { c0: string; c1: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'campaign-ui-api-'));
  const config = loadConfig({ DATA_DIR: dir, UI_TOKEN: token, LOG_LEVEL: 'warn' });
  const store = new LocalObjectStore(path.join(dir, 'store'));
  ids = await seedCampaigns(store);
  const send = async (action: FeedbackAction) => {
    sent.push(action);
    return `fb-${String(sent.length).padStart(8, '0')}`;
  };
  ui = await startCampaignUi({ config, store, send, logger: testLogger, token, port: 0 });
});
afterAll(async () => {
  await ui?.close();
  rmSync(dir, { recursive: true, force: true });
});

const origin = () => ui.url;

async function login(): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${ui.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin() },
    body: new URLSearchParams({ token }).toString(),
  });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie')!;
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  expect(setCookie).not.toContain(token);
  const cookie = setCookie.split(';')[0]!;
  const page = await (await fetch(`${ui.url}/`, { headers: { Cookie: cookie } })).text();
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(page)![1]!;
  return { cookie, csrf };
}

interface Answer {
  id?: string;
  status?: string;
  error?: string;
}
const answerOf = async (res: Response): Promise<Answer> => (await res.json()) as Answer;

function cut(body: unknown, headers: Record<string, string>) {
  return fetch(`${ui.url}/api/feedback/cut`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const validCut = () => ({
  source: ids.c0,
  targets: [{ campaign: ids.c1, eventIds: ['e1', 'e2'] }],
  eventWeights: { port: 0.5 },
});

describe('the campaign UI API', () => {
  it('refuses unauthenticated requests with 401 and sends pages to the login form', async () => {
    expect((await fetch(`${ui.url}/api/campaigns`)).status).toBe(401);
    expect((await cut(validCut(), { Origin: origin() })).status).toBe(401);
    const wrong = { Authorization: 'Bearer not-the-token-at-all' };
    expect((await fetch(`${ui.url}/api/campaigns`, { headers: wrong })).status).toBe(401);
    const page = await fetch(`${ui.url}/campaigns/${ids.c0}`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login');
    const badLogin = await fetch(`${ui.url}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=guess-guess-guess-guess',
    });
    expect(badLogin.status).toBe(401);
    expect(sent).toEqual([]);
  });

  it('refuses forged cross-site requests with 403', async () => {
    const { cookie, csrf } = await login();
    const forged: Record<string, string>[] = [
      { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: 'https://evil.example' },
      { Cookie: cookie, 'X-CSRF-Token': csrf, 'Sec-Fetch-Site': 'cross-site' },
      { Cookie: cookie, Origin: origin() },
      { Cookie: cookie, Origin: origin(), 'X-CSRF-Token': 'x'.repeat(csrf.length) },
      { Authorization: `Bearer ${token}`, Origin: 'https://evil.example' },
    ];
    for (const headers of forged) {
      const res = await cut(validCut(), headers);
      expect(res.status, JSON.stringify(Object.keys(headers))).toBe(403);
      expect((await answerOf(res)).error).toMatch(/cross-site|CSRF/);
    }
    const loginFromElsewhere = await fetch(`${ui.url}/login`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'https://evil.example',
      },
      body: new URLSearchParams({ token }).toString(),
    });
    expect(loginFromElsewhere.status).toBe(403);
    expect(sent).toEqual([]);
  });

  it('rejects invalid bodies with 400 naming the field', async () => {
    const { cookie, csrf } = await login();
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: origin() };
    const cases: [unknown, string][] = [
      [{ source: ids.c0 }, 'field "targets"'],
      [
        { ...validCut(), targets: [{ campaign: ids.c1, eventIds: [] }] },
        'field "targets.0.eventIds"',
      ],
      [{ ...validCut(), source: 'not a campaign' }, 'field "source"'],
      [{ ...validCut(), eventWeights: { port: 'high' } }, 'field "eventWeights.port"'],
      [{ ...validCut(), extra: 1 }, 'field "(body)"'],
      [
        { ...validCut(), targets: [{ campaign: `${ids.c0}x`, eventIds: ['e1'] }] },
        'field "targets.0.campaign"',
      ],
      [
        { ...validCut(), targets: [{ campaign: ids.c1, eventIds: ['e1', 'e5'] }] },
        'field "targets.0.eventIds.1"',
      ],
      ['{"source": ', 'body: not JSON'],
    ];
    for (const [body, field] of cases) {
      const res = await cut(body, headers);
      expect(res.status, field).toBe(400);
      expect((await answerOf(res)).error).toContain(field);
    }
    const techniques = await fetch(`${ui.url}/api/feedback/techniques`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ campaign: ids.c0, eventId: 'e1', techniques: ['T1110', 'brute'] }),
    });
    expect(techniques.status).toBe(400);
    expect((await answerOf(techniques)).error).toContain('field "techniques.1"');
    expect(sent).toEqual([]);
  });

  it('accepts a valid cut from its own page and hands it to the feedback workflow', async () => {
    const { cookie, csrf } = await login();
    const headers = {
      Cookie: cookie,
      'X-CSRF-Token': csrf,
      Origin: origin(),
      'Sec-Fetch-Site': 'same-origin',
    };
    const res = await cut(validCut(), headers);
    expect(res.status).toBe(202);
    const answer = await answerOf(res);
    expect(answer).toEqual({ id: 'fb-00000001', status: 'accepted' });
    expect(sent).toEqual([{ kind: 'cut', ...validCut(), nodeWeights: {} }]);
    const state = await fetch(`${ui.url}/api/feedback/${answer.id!}`, {
      headers: { Cookie: cookie },
    });
    expect(await state.json()).toEqual({ id: answer.id, status: 'pending' });
    // Scripts may use the token as a bearer token instead of a session.
    const bearer = await cut(validCut(), { Authorization: `Bearer ${token}` });
    expect(bearer.status).toBe(202);

    const post = (kind: string, body: unknown) =>
      fetch(`${ui.url}/api/feedback/${kind}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('hide', { campaign: ids.c0, eventIds: ['e3'] })).status).toBe(202);
    const edit = { campaign: ids.c1, eventId: 'e5', techniques: ['T1046'], sameName: true };
    expect((await post('techniques', edit)).status).toBe(202);
    expect(sent.slice(2)).toEqual([
      { kind: 'hide', campaign: ids.c0, eventIds: ['e3'], hidden: true },
      { kind: 'techniques', ...edit },
    ]);
    const wrongEvent = await post('techniques', { ...edit, eventId: 'e1' });
    expect((await answerOf(wrongEvent)).error).toContain('field "eventId"');
  });

  it('serves the list and a campaign page with a strict content security policy', async () => {
    const { cookie } = await login();
    const list = await fetch(`${ui.url}/api/campaigns`, { headers: { Cookie: cookie } });
    const campaigns = (await list.json()) as { id: string; size: number }[];
    expect(campaigns.map((c) => [c.id, c.size]).sort()).toEqual([
      [ids.c0, 4],
      [ids.c1, 2],
    ]);
    const page = await fetch(`${ui.url}/campaigns/${ids.c0}`, { headers: { Cookie: cookie } });
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'nonce-/);
    const text = await page.text();
    expect(text).toContain('<svg class="flow"');
    expect(text).toContain('Credential Access (4)');
  });
});
