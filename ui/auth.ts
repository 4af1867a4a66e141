import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpError } from './http.js';

export const sessionCookie = 'campaign_ui_session';
const sessionHours = 12;

interface Session {
  csrfToken: string;
  expires: number;
}

export type Caller = { via: 'session'; csrfToken: string } | { via: 'bearer' };

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Who may use the UI: whoever knows UI_TOKEN, by the login form (an HttpOnly, SameSite=Strict
 * session cookie) or as a bearer token for scripts. The token itself is compared in constant
 * time and never stored, logged or sent anywhere.
 */
export class UiAuth {
  private readonly tokenDigest: Buffer;
  private readonly sessions = new Map<string, Session>();

  constructor(token: string) {
    this.tokenDigest = digest(token);
  }

  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  /** A new session; the cookie to set. */
  login(): string {
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    this.sessions.set(id, { csrfToken, expires: Date.now() + sessionHours * 3600_000 });
    return cookie(id, sessionHours * 3600);
  }

  logout(req: IncomingMessage): string {
    const id = cookies(req).get(sessionCookie);
    if (id) this.sessions.delete(id);
    return cookie('', 0);
  }

  /** The caller, or undefined when neither a live session nor the token came with the request. */
  caller(req: IncomingMessage): Caller | undefined {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Bearer ')) {
      return this.tokenMatches(header.slice(7)) ? { via: 'bearer' } : undefined;
    }
    const id = cookies(req).get(sessionCookie);
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) return undefined;
    if (session.expires < Date.now()) {
      this.sessions.delete(id!);
      return undefined;
    }
    return { via: 'session', csrfToken: session.csrfToken };
  }
}

function cookie(value: string, maxAgeSeconds: number): string {
  return (
    `${sessionCookie}=${value}; HttpOnly; SameSite=Strict; Path=/; ` + `Max-Age=${maxAgeSeconds}`
  );
}

function cookies(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

/**
 * Refuses a state-changing request that another site made the browser send: the browser says
 * where it came from (Sec-Fetch-Site, Origin), and a session must echo its CSRF token, which
 * only the UI's own pages hold.
 */
export function checkSameOrigin(req: IncomingMessage, caller?: Caller): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new HttpError(403, `cross-site request refused (Sec-Fetch-Site: ${site})`);
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) {
      throw new HttpError(403, `cross-site request refused (Origin: ${origin})`);
    }
  }
  if (caller?.via === 'session') {
    const sent = req.headers['x-csrf-token'];
    const ok =
      typeof sent === 'string' &&
      sent.length === caller.csrfToken.length &&
      timingSafeEqual(Buffer.from(sent), Buffer.from(caller.csrfToken));
    if (!ok) throw new HttpError(403, 'missing or wrong CSRF token (header X-CSRF-Token)');
  }
}
