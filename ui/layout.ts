import { html, raw } from './html.js';
import { pageStyle } from './page-style.js';

/** The frame of every page; scripts and styles run only with this answer's nonce. */
export function layout(options: {
  title: string;
  nonce: string;
  body: string;
  csrfToken?: string;
  script?: string;
}): string {
  const { title, nonce, body, csrfToken, script } = options;
  const loggedIn = csrfToken !== undefined;
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>${title} · Campaigns</title>
        ${loggedIn ? raw(html`<meta name="csrf-token" content="${csrfToken}" />`) : ''}
        <style nonce="${nonce}">
          ${raw(pageStyle)}
        </style>
      </head>
      <body>
        <header class="bar">
          <a href="/">Campaigns</a>
          ${loggedIn ? raw(html`<form method="post" action="/logout"><input type="hidden" name="csrf" value="${csrfToken}" /><button>Log out</button></form>`) : ''}
        </header>
        <main>${raw(body)}</main>
        ${script ? raw(`<script nonce="${nonce}">${script}</script>`) : ''}
      </body>
    </html>`;
}

export function loginPage(nonce: string, error?: string): string {
  const body = html`<form class="login" method="post" action="/login">
    <h1>Campaign UI</h1>
    ${error ? raw(html`<p class="banner bad" role="alert">${error}</p>`) : ''}
    <label
      >Access token
      <input type="password" name="token" autocomplete="current-password" required autofocus
    /></label>
    <p><button type="submit">Log in</button></p>
  </form>`;
  return layout({ title: 'Log in', nonce, body });
}

/** JSON for a page's script, safe inside a script element. */
export const pageData = (data: unknown): string =>
  `<script type="application/json" id="page-data">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>`;
