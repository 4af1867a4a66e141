import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../core/config.js';
import type { FeedbackRecord } from '../core/feedback-formats.js';
import type { Logger } from '../core/logger.js';
import type { ObjectStore } from '../core/store/index.js';
import { checkSameOrigin, UiAuth, type Caller } from './auth.js';
import { campaignDetail, campaignItems } from './campaign-data.js';
import { campaignPageBody, feedbackBanner } from './campaign-page.js';
import { feedbackState, postFeedback, type SendFeedback } from './feedback-api.js';
import { html } from './html.js';
import { HttpError, readForm, redirect, securityHeaders, sendHtml, sendJson } from './http.js';
import { layout, loginPage } from './layout.js';
import { listPageBody } from './list-page.js';
import { campaignPageScript } from './page-script.js';

export interface CampaignUiOptions {
  config: Config;
  store: ObjectStore;
  /** Signals the FeedbackWorkflow (starters/feedback-signal.ts); returns the request's id. */
  send: SendFeedback;
  logger: Logger;
  token: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface CampaignUi {
  url: string;
  close(): Promise<void>;
}

/** The campaign UI: pages and their JSON API, on Node's own HTTP server. */
export async function startCampaignUi(options: CampaignUiOptions): Promise<CampaignUi> {
  const auth = new UiAuth(options.token);
  const server = createServer((req, res) => {
    const nonce = randomBytes(16).toString('base64');
    for (const [name, value] of Object.entries(securityHeaders(nonce))) res.setHeader(name, value);
    route(req, res, nonce, auth, options).catch((err: unknown) => {
      const path = (req.url ?? '').split('?')[0];
      const known = err instanceof HttpError;
      const status = known ? err.status : 500;
      const message = known ? err.message : 'internal error; see the UI log';
      if (!known) options.logger.error({ err, path }, 'campaign UI request failed');
      if (res.headersSent) return res.end();
      if (path?.startsWith('/api/')) sendJson(res, status, { error: message });
      else sendHtml(res, status, layout({ title: 'Error', nonce, body: html`<p>${message}</p>` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(
      options.port ?? options.config.ui.port,
      options.host ?? options.config.ui.host,
      resolve,
    );
  });
  const { address, port } = server.address() as AddressInfo;
  const shown = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  nonce: string,
  auth: UiAuth,
  options: CampaignUiOptions,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://ui.invalid');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (path === '/login') return login(req, res, nonce, auth, method);

  const caller = auth.caller(req);
  if (!caller) {
    if (path.startsWith('/api/'))
      throw new HttpError(401, 'log in first, or send the UI token as a bearer token');
    return redirect(res, '/login');
  }
  if (method === 'POST') return post(req, res, path, caller, auth, options);
  if (method !== 'GET') throw new HttpError(405, `${method} is not allowed here`);
  return get(res, path, url, nonce, caller, options);
}

async function login(
  req: IncomingMessage,
  res: ServerResponse,
  nonce: string,
  auth: UiAuth,
  method: string,
): Promise<void> {
  if (method === 'GET') return sendHtml(res, 200, loginPage(nonce));
  if (method !== 'POST') throw new HttpError(405, `${method} is not allowed here`);
  checkSameOrigin(req);
  const token = (await readForm(req)).get('token') ?? '';
  if (!auth.tokenMatches(token)) return sendHtml(res, 401, loginPage(nonce, 'Wrong token.'));
  return redirect(res, '/', auth.login());
}

async function post(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  caller: Caller,
  auth: UiAuth,
  options: CampaignUiOptions,
): Promise<void> {
  if (path === '/logout') {
    checkSameOrigin(req);
    const csrf = (await readForm(req)).get('csrf');
    if (caller.via === 'session' && csrf !== caller.csrfToken) {
      throw new HttpError(403, 'missing or wrong CSRF token (form field csrf)');
    }
    return redirect(res, '/login', auth.logout(req));
  }
  const kind = /^\/api\/feedback\/([a-z]+)$/.exec(path)?.[1];
  if (!kind) throw new HttpError(404, `no such endpoint: ${path}`);
  checkSameOrigin(req, caller);
  const id = await postFeedback(kind, req, options.store, options.send);
  options.logger.info({ feedback: id, kind }, 'feedback sent to the FeedbackWorkflow');
  sendJson(res, 202, { id, status: 'accepted' });
}

async function get(
  res: ServerResponse,
  path: string,
  url: URL,
  nonce: string,
  caller: Caller,
  options: CampaignUiOptions,
): Promise<void> {
  const { store, config } = options;
  const csrfToken = caller.via === 'session' ? caller.csrfToken : '';
  if (path === '/api/campaigns') return sendJson(res, 200, await campaignItems(store, config));
  const apiCampaign = /^\/api\/campaigns\/([^/]+)$/.exec(path)?.[1];
  if (apiCampaign) {
    const detail = await campaignDetail(store, config, decodeURIComponent(apiCampaign));
    if (!detail) throw new HttpError(404, `no campaign ${decodeURIComponent(apiCampaign)}`);
    return sendJson(res, 200, detail);
  }
  const feedback = /^\/api\/feedback\/([^/]+)$/.exec(path)?.[1];
  if (feedback) return sendJson(res, 200, await feedbackState(store, feedback));
  if (path === '/') {
    const body = listPageBody(await campaignItems(store, config));
    return sendHtml(res, 200, layout({ title: 'Campaigns', nonce, body, csrfToken }));
  }
  const page = /^\/campaigns\/([^/]+)$/.exec(path)?.[1];
  if (page) {
    const id = decodeURIComponent(page);
    const sent = url.searchParams.get('feedback');
    const banner = sent ? await bannerFor(store, sent) : '';
    const detail = await campaignDetail(store, config, id);
    if (!detail) {
      const body = banner + html`<p>No campaign ${id}.</p>`;
      return sendHtml(res, 404, layout({ title: 'Not found', nonce, body, csrfToken }));
    }
    const body = campaignPageBody(detail, banner);
    const script = campaignPageScript;
    return sendHtml(
      res,
      200,
      layout({ title: detail.campaign.id, nonce, body, csrfToken, script }),
    );
  }
  throw new HttpError(404, `no such page: ${path}`);
}

async function bannerFor(store: ObjectStore, id: string): Promise<string> {
  const state = await feedbackState(store, id).catch(() => undefined);
  if (!state) return '';
  return feedbackBanner(id, state.status === 'pending' ? undefined : (state as FeedbackRecord));
}
